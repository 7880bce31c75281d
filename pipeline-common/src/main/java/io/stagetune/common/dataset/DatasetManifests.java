package io.stagetune.common.dataset;

import io.stagetune.common.events.EventJson;
import io.stagetune.common.storage.ObjectKeys;
import io.stagetune.common.storage.ObjectStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Reads and writes dataset versions in the layout of {@link ObjectKeys}: the manifest
 * ({@code v<N>.jsonl}, one {@link ManifestEntry} per line) and the summary ({@code v<N>.json}, written last).
 * The ingest service writes them; the trainer and the evaluator read them.
 */
public class DatasetManifests {

    private final ObjectStore store;
    private final String bucket;

    public DatasetManifests(ObjectStore store, String bucket) {
        this.store = store;
        this.bucket = bucket;
    }

    public String bucket() {
        return bucket;
    }

    /** The summary of a complete version, if there is one. */
    public Optional<DatasetVersion> version(String datasetId, int version) {
        return store.find(bucket, ObjectKeys.versionSummary(datasetId, version))
                .map(bytes -> EventJson.readDocument(bytes, DatasetVersion.class));
    }

    /** Every complete version's summary, oldest first. */
    public List<DatasetVersion> versions(String datasetId) {
        List<DatasetVersion> versions = new ArrayList<>();
        for (String key : store.list(bucket, ObjectKeys.manifestsPrefix(datasetId))) {
            if (key.endsWith(".json")) {
                versions.add(EventJson.readDocument(store.get(bucket, key), DatasetVersion.class));
            }
        }
        versions.sort(java.util.Comparator.comparingInt(DatasetVersion::version));
        return versions;
    }

    public List<ManifestEntry> entries(String datasetId, int version) {
        return parse(store.get(bucket, ObjectKeys.manifest(datasetId, version)));
    }

    public List<ManifestEntry> entries(String key) {
        return parse(store.get(bucket, key));
    }

    public static List<ManifestEntry> parse(byte[] jsonLines) {
        List<ManifestEntry> entries = new ArrayList<>();
        for (String line : new String(jsonLines, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                try {
                    entries.add(EventJson.mapper().readValue(line, ManifestEntry.class));
                } catch (IOException e) {
                    throw new UncheckedIOException("bad manifest line: " + line, e);
                }
            }
        }
        return entries;
    }

    public static byte[] format(Collection<ManifestEntry> entries) {
        StringBuilder lines = new StringBuilder(entries.size() * 160);
        entries.forEach(entry -> lines.append(EventJson.write(entry)).append('\n'));
        return lines.toString().getBytes(StandardCharsets.UTF_8);
    }
}
