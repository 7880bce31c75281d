package io.stagetune.ingest.service;

import io.quarkus.runtime.Startup;
import io.stagetune.common.dataset.DatasetManifests;
import io.stagetune.common.events.EventJson;
import io.stagetune.common.runtime.ObjectStoreConfig;
import io.stagetune.common.storage.ObjectKeys;
import io.stagetune.common.storage.ObjectStore;
import io.stagetune.common.dataset.DatasetVersion;
import io.stagetune.common.dataset.ManifestEntry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Datasets as the object store holds them. The object store is the only state of the ingest service: a version
 * is complete once its summary ({@code v<N>.json}) is written after its manifest ({@code v<N>.jsonl}), and staged
 * uploads live under {@code <datasetId>/staged/}. The in-memory {@link Dataset}s are caches of that.
 */
@Startup
@ApplicationScoped
public class DatasetRepository {

    private final ObjectStore store;
    private final String bucket;
    private final DatasetManifests manifests;
    private final ConcurrentHashMap<String, Dataset> datasets = new ConcurrentHashMap<>();

    public DatasetRepository(ObjectStore store, ObjectStoreConfig config) {
        this.store = store;
        this.bucket = config.datasetsBucket();
        this.manifests = new DatasetManifests(store, bucket);
    }

    @PostConstruct
    void createBucket() {
        store.ensureBucket(bucket);
    }

    public String bucket() {
        return bucket;
    }

    public Dataset dataset(String datasetId) {
        ObjectKeys.requireName("dataset id", datasetId);
        return datasets.computeIfAbsent(datasetId, this::load);
    }

    public List<String> datasetIds() {
        return store.listFolders(bucket, "");
    }

    private Dataset load(String datasetId) {
        Dataset dataset = new Dataset(datasetId);
        manifests.versions(datasetId).forEach(dataset::restoreVersion);
        if (dataset.latestVersion() > 0) {
            dataset.restoreLatest(manifests.entries(datasetId, dataset.latestVersion()));
        }
        for (String key : store.list(bucket, stagedPrefix(datasetId))) {
            dataset.restoreStaged(key, readEntries(key));
        }
        return dataset;
    }

    public List<ManifestEntry> readEntries(String key) {
        return manifests.entries(key);
    }

    public void storeImage(String key, byte[] bytes, String contentType) {
        store.put(bucket, key, bytes, contentType);
    }

    public void deleteImage(String key) {
        store.delete(bucket, key);
    }

    /** Writes the manifest, then the summary that marks the version complete, then updates the cache. */
    public void writeVersion(Dataset dataset, Dataset.NextVersion next) {
        DatasetVersion summary = next.summary();
        store.put(bucket, summary.manifestKey(), DatasetManifests.format(next.entries()), "application/x-ndjson");
        store.put(bucket, ObjectKeys.versionSummary(summary.datasetId(), summary.version()),
                EventJson.writeBytes(summary), "application/json");
        List<String> stagedFiles = dataset.stagedFiles();
        dataset.commit(next);
        // Staged entries now live in the version; a file left behind by a crash is ignored on reload.
        for (String file : stagedFiles) {
            try {
                store.delete(bucket, file);
            } catch (RuntimeException ignored) {
                // harmless: its entries are all in the version
            }
        }
    }

    public void writeStaged(Dataset dataset, String uploadId, Collection<ManifestEntry> entries) {
        String key = stagedPrefix(dataset.id()) + uploadId + ".jsonl";
        store.put(bucket, key, DatasetManifests.format(entries), "application/x-ndjson");
        dataset.stage(key, entries);
    }

    public boolean isAnnounced(String datasetId, int version) {
        return store.exists(bucket, ObjectKeys.announcedMarker(datasetId, version));
    }

    public void markAnnounced(String datasetId, int version) {
        store.put(bucket, ObjectKeys.announcedMarker(datasetId, version), new byte[0], "text/plain");
    }

    private static String stagedPrefix(String datasetId) {
        return datasetId + "/staged/";
    }
}
