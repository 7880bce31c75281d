package io.stagetune.trainer.worker;

import io.stagetune.common.checkpoint.CheckpointManifest;
import io.stagetune.common.events.EventJson;
import io.stagetune.common.events.StageCommand;
import io.stagetune.common.runtime.ObjectStoreConfig;
import io.stagetune.common.storage.ObjectKeys;
import io.stagetune.common.storage.ObjectStore;
import io.stagetune.common.storage.ObjectUri;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Stage checkpoints in the checkpoints bucket: {@code <model>/<runId>/<stage>/} with {@code checkpoint.json}
 * written last, and the stage's latest epoch checkpoint under {@code epoch/} (with {@code progress.json} last)
 * so that a redelivered command resumes after the last completed epoch.
 */
@ApplicationScoped
public class CheckpointStore {

    private static final String EPOCH_FOLDER = "epoch/";
    private static final String EPOCH_DONE_FILE = "progress.json";

    private final ObjectStore store;
    private final String bucket;

    public CheckpointStore(ObjectStore store, ObjectStoreConfig config) {
        this.store = store;
        this.bucket = config.checkpointsBucket();
    }

    @PostConstruct
    void createBucket() {
        store.ensureBucket(bucket);
    }

    public ObjectUri location(StageCommand command) {
        return new ObjectUri(bucket, ObjectKeys.checkpointPrefix(command.model(), command.runId(), command.stage()));
    }

    /** The stage's checkpoint, if it is complete. */
    public Optional<CheckpointManifest> completed(StageCommand command) {
        return store.find(bucket, location(command).resolve(CheckpointManifest.FILE).key())
                .map(bytes -> EventJson.readDocument(bytes, CheckpointManifest.class));
    }

    /** Uploads the stage's files from {@code directory}, then its {@code checkpoint.json}, then drops the epoch state. */
    public void publish(StageCommand command, Path directory, CheckpointManifest manifest) {
        ObjectUri folder = location(command);
        for (String file : List.of(CheckpointManifest.BACKBONE_FILE, CheckpointManifest.HEAD_FILE,
                CheckpointManifest.METRICS_FILE)) {
            store.put(bucket, folder.resolve(file).key(), directory.resolve(file), "application/octet-stream");
        }
        store.put(bucket, folder.resolve(CheckpointManifest.FILE).key(), EventJson.writeBytes(manifest),
                "application/json");
        for (String key : store.list(bucket, folder.resolve(EPOCH_FOLDER).key())) {
            store.delete(bucket, key);
        }
    }

    /** Uploads an epoch checkpoint written locally, {@code progress.json} last. */
    public void saveEpoch(StageCommand command, Path directory) {
        ObjectUri epoch = location(command).resolve(EPOCH_FOLDER);
        List<Path> files = files(directory);
        files.stream().filter(file -> !file.getFileName().toString().equals(EPOCH_DONE_FILE))
                .forEach(file -> store.put(bucket, epoch.resolve(relative(directory, file)).key(), file,
                        "application/octet-stream"));
        files.stream().filter(file -> file.getFileName().toString().equals(EPOCH_DONE_FILE))
                .forEach(file -> store.put(bucket, epoch.resolve(relative(directory, file)).key(), file,
                        "application/json"));
    }

    /** Downloads the stage's last complete epoch checkpoint into {@code directory}, if there is one. */
    public Optional<Path> restoreEpoch(StageCommand command, Path directory) {
        ObjectUri epoch = location(command).resolve(EPOCH_FOLDER);
        if (!store.exists(bucket, epoch.resolve(EPOCH_DONE_FILE).key())) {
            return Optional.empty();
        }
        for (String key : store.list(bucket, epoch.key())) {
            store.download(bucket, key, directory.resolve(key.substring(epoch.key().length())));
        }
        return Optional.of(directory);
    }

    /** Downloads a checkpoint folder's backbone and head into {@code directory} and returns its manifest. */
    public CheckpointManifest download(String checkpointUri, Path directory) {
        ObjectUri folder = ObjectUri.parse(checkpointUri);
        for (String file : List.of(CheckpointManifest.BACKBONE_FILE, CheckpointManifest.HEAD_FILE)) {
            store.download(folder.bucket(), folder.resolve(file).key(), directory.resolve(file));
        }
        return EventJson.readDocument(store.get(folder.bucket(), folder.resolve(CheckpointManifest.FILE).key()),
                CheckpointManifest.class);
    }

    public void downloadObject(String uri, Path file) {
        ObjectUri object = ObjectUri.parse(uri);
        store.download(object.bucket(), object.key(), file);
    }

    private static List<Path> files(Path directory) {
        try (Stream<Path> walk = Files.walk(directory)) {
            return walk.filter(Files::isRegularFile).sorted(Comparator.naturalOrder()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
    }

    private static String relative(Path directory, Path file) {
        return directory.relativize(file).toString().replace('\\', '/');
    }
}
