package io.stagetune.ingest.service;

import io.quarkus.runtime.Startup;
import io.stagetune.common.events.EventJson;
import io.stagetune.common.runtime.ObjectStoreConfig;
import io.stagetune.common.storage.ObjectKeys;
import io.stagetune.common.storage.ObjectStore;
import io.stagetune.ingest.DatasetVersion;
import io.stagetune.ingest.ManifestEntry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
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
    private final ConcurrentHashMap<String, Dataset> datasets = new ConcurrentHashMap<>();

    public DatasetRepository(ObjectStore store, ObjectStoreConfig config) {
        this.store = store;
        this.bucket = config.datasetsBucket();
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
        for (String key : store.list(bucket, ObjectKeys.manifestsPrefix(datasetId))) {
            if (key.endsWith(".json")) {
                dataset.restoreVersion(EventJson.readDocument(store.get(bucket, key), DatasetVersion.class));
            }
        }
        if (dataset.latestVersion() > 0) {
            dataset.restoreLatest(readEntries(ObjectKeys.manifest(datasetId, dataset.latestVersion())));
        }
        for (String key : store.list(bucket, stagedPrefix(datasetId))) {
            dataset.restoreStaged(key, readEntries(key));
        }
        return dataset;
    }

    public List<ManifestEntry> readEntries(String key) {
        List<ManifestEntry> entries = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                new ByteArrayInputStream(store.get(bucket, key)), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                if (!line.isBlank()) {
                    entries.add(EventJson.mapper().readValue(line, ManifestEntry.class));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read manifest " + key, e);
        }
        return entries;
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
        store.put(bucket, summary.manifestKey(), jsonLines(next.entries()), "application/x-ndjson");
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
        store.put(bucket, key, jsonLines(entries), "application/x-ndjson");
        dataset.stage(key, entries);
    }

    public Optional<DatasetVersion> findVersion(String datasetId, int version) {
        return dataset(datasetId).version(version);
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

    private static byte[] jsonLines(Collection<ManifestEntry> entries) {
        StringBuilder lines = new StringBuilder(entries.size() * 160);
        entries.forEach(entry -> lines.append(EventJson.write(entry)).append('\n'));
        return lines.toString().getBytes(StandardCharsets.UTF_8);
    }
}
