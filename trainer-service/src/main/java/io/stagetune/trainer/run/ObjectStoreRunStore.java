package io.stagetune.trainer.run;

import io.stagetune.common.events.EventJson;
import io.stagetune.common.runtime.ObjectStoreConfig;
import io.stagetune.common.storage.ObjectStore;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Runs as JSON documents in the checkpoints bucket, {@code _runs/<model>/<runId>.json} (model names cannot start
 * with '_', so this never collides with a model's checkpoints). Run creation is serialised in this process; the
 * planner is one consumer group whose partitions are keyed by dataset, so one dataset is planned in one place.
 * The store used when the trainer has no registry ({@code trainer.registry.url} unset).
 */
public class ObjectStoreRunStore implements RunStore {

    private static final String PREFIX = "_runs/";

    private final ObjectStore store;
    private final String bucket;

    public ObjectStoreRunStore(ObjectStore store, ObjectStoreConfig config) {
        this.store = store;
        this.bucket = config.checkpointsBucket();
        store.ensureBucket(bucket);
    }

    @Override
    public synchronized boolean create(Run run) {
        if (store.exists(bucket, key(run.model(), run.runId()))) {
            return false;
        }
        update(run);
        return true;
    }

    @Override
    public void update(Run run) {
        store.put(bucket, key(run.model(), run.runId()), EventJson.writeBytes(run), "application/json");
    }

    @Override
    public Optional<Run> find(String model, String runId) {
        return store.find(bucket, key(model, runId)).map(bytes -> EventJson.readDocument(bytes, Run.class));
    }

    @Override
    public Optional<Run> find(String runId) {
        return list().stream().filter(run -> run.runId().equals(runId)).findFirst();
    }

    @Override
    public Optional<Run> latest(String model, String datasetId) {
        return store.list(bucket, PREFIX + model + "/").stream()
                .map(key -> EventJson.readDocument(store.get(bucket, key), Run.class))
                .filter(run -> run.datasetId().equals(datasetId))
                .max(Comparator.comparingInt(Run::datasetVersion));
    }

    @Override
    public List<Run> list() {
        return store.list(bucket, PREFIX).stream()
                .map(key -> EventJson.readDocument(store.get(bucket, key), Run.class))
                .sorted(Comparator.comparing(Run::createdAt))
                .toList();
    }

    private static String key(String model, String runId) {
        return PREFIX + model + "/" + runId + ".json";
    }
}
