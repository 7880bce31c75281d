package io.stagetune.ingest.repository;

import io.stagetune.common.dataset.DatasetManifests;
import io.stagetune.common.dataset.DatasetVersion;
import io.stagetune.common.events.EventJson;
import io.stagetune.common.runtime.ObjectStoreConfig;
import io.stagetune.common.storage.ObjectKeys;
import io.stagetune.common.storage.ObjectStore;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/**
 * The datasets bucket: content-addressed images ({@code <datasetId>/images/<sha256>.<ext>}, the same bytes always
 * under the same key, so a put is idempotent) and each version's manifest and summary, which trainers and evaluators
 * read. The summary is written after the manifest: its presence means the version's objects are complete.
 */
@Startup
@ApplicationScoped
public class ImageObjects {

    private final ObjectStore store;
    private final String bucket;
    private final DatasetManifests manifests;

    public ImageObjects(ObjectStore store, ObjectStoreConfig config) {
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

    public void storeImage(String key, byte[] bytes, String contentType) {
        store.put(bucket, key, bytes, contentType);
    }

    public boolean exists(String key) {
        return store.exists(bucket, key);
    }

    public void delete(String key) {
        store.delete(bucket, key);
    }

    /** Writes the version's manifest, then its summary; writing the same version again writes the same bytes. */
    public void writeVersion(DatasetVersion summary, byte[] manifest) {
        store.put(bucket, summary.manifestKey(), manifest, "application/x-ndjson");
        store.put(bucket, ObjectKeys.versionSummary(summary.datasetId(), summary.version()),
                EventJson.writeBytes(summary), "application/json");
    }

    /** The manifest of a version as it is in the bucket, if it is there. */
    public Optional<byte[]> manifest(String datasetId, int version) {
        return store.find(bucket, ObjectKeys.manifest(datasetId, version));
    }

    /** The datasets bucket as earlier releases kept a dataset's state there, for {@code BucketImport}. */
    public DatasetManifests manifests() {
        return manifests;
    }

    public ObjectStore store() {
        return store;
    }
}
