package io.stagetune.ingest.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.stagetune.common.dataset.DatasetManifests;
import io.stagetune.common.dataset.DatasetVersion;
import io.stagetune.common.dataset.ManifestEntry;
import io.stagetune.common.events.PipelineEvent;
import io.stagetune.common.storage.ObjectKeys;
import io.stagetune.common.storage.ObjectStore;
import io.stagetune.ingest.Dataset;
import io.stagetune.ingest.DatasetImage;
import io.stagetune.ingest.DatasetVersionRecord;
import io.stagetune.ingest.messaging.VersionEvents;
import io.stagetune.ingest.repository.DatasetRepository;
import io.stagetune.ingest.repository.ImageObjects;
import io.stagetune.persistence.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Takes over, at start-up, the datasets that releases before the database kept in the bucket alone: complete
 * versions (a summary {@code v<N>.json} beside its manifest) become the dataset's versions, the latest manifest's
 * images its images, and {@code staged/*.jsonl} files its staged images; a version without the old
 * {@code announced/v<N>} marker is announced through the outbox. A dataset the database already holds is left
 * alone, and each import is one transaction under the dataset's lock, so replicas starting together import once.
 */
@ApplicationScoped
public class BucketImport {

    private static final Logger LOG = Logger.getLogger(BucketImport.class);

    private final DatasetRepository datasets;
    private final ObjectStore store;
    private final String bucket;
    private final DatasetManifests manifests;
    private final Outbox outbox;

    public BucketImport(DatasetRepository datasets, ImageObjects objects, Outbox outbox) {
        this.datasets = datasets;
        this.store = objects.store();
        this.bucket = objects.bucket();
        this.manifests = objects.manifests();
        this.outbox = outbox;
    }

    void onStart(@Observes StartupEvent event) {
        int imported = importAll();
        if (imported > 0) {
            LOG.infof("took over %d dataset(s) kept in bucket %s by an earlier release", imported, bucket);
        }
    }

    /** @return how many datasets were imported */
    public int importAll() {
        int imported = 0;
        for (String datasetId : store.listFolders(bucket, "")) {
            if (ObjectKeys.NAME.matcher(datasetId).matches()
                    && datasets.find(datasetId).map(dataset -> dataset.latestVersion() == 0).orElse(true)
                    && importDataset(datasetId)) {
                imported++;
            }
        }
        return imported;
    }

    private boolean importDataset(String datasetId) {
        List<DatasetVersion> versions = manifests.versions(datasetId);
        List<String> stagedFiles = store.list(bucket, datasetId + "/staged/");
        if (versions.isEmpty() && stagedFiles.isEmpty()) {
            return false;
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            Dataset dataset = datasets.lock(datasetId);
            if (dataset.latestVersion() > 0 || datasets.stagedCount(datasetId) > 0) {
                return false;
            }
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            Set<String> held = new HashSet<>();
            if (!versions.isEmpty()) {
                DatasetVersion latest = versions.get(versions.size() - 1);
                for (ManifestEntry entry : manifests.entries(datasetId, latest.version())) {
                    if (held.add(entry.sha256())) {
                        datasets.add(new DatasetImage(datasetId, entry, latest.version(),
                                latest.upload().uploadId(), now));
                    }
                }
                for (DatasetVersion version : versions) {
                    datasets.addVersion(new DatasetVersionRecord(version, true));
                    if (!store.exists(bucket, ObjectKeys.announcedMarker(datasetId, version.version()))) {
                        for (PipelineEvent announcement : VersionEvents.of(version)) {
                            outbox.add(announcement, now);
                        }
                    }
                }
                dataset.importedUpTo(latest.version());
            }
            for (String file : stagedFiles) {
                String uploadId = file.substring(file.lastIndexOf('/') + 1).replace(".jsonl", "");
                for (ManifestEntry entry : manifests.entries(file)) {
                    if (held.add(entry.sha256())) {
                        datasets.add(new DatasetImage(datasetId, entry, null, uploadId, now));
                    }
                }
            }
            return true;
        });
    }
}
