package io.stagetune.ingest.messaging;

import io.stagetune.common.dataset.DatasetManifests;
import io.stagetune.common.events.DatasetVersionCreated;
import io.stagetune.common.events.ImagesIngested;
import io.stagetune.common.events.PipelineEvent;
import io.stagetune.ingest.DatasetVersionRecord;
import io.stagetune.ingest.repository.DatasetRepository;
import io.stagetune.ingest.repository.ImageObjects;
import io.stagetune.persistence.outbox.BeforeSend;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.Arrays;
import java.util.Optional;

/**
 * Puts a committed version's manifest and summary into the bucket before the version is announced, so that no
 * consumer ever reads an announcement of a manifest that is not there. The upload that committed the version
 * writes them right away; the outbox relay checks again before it sends (after a crash in between, or when the
 * store failed), and a version whose objects cannot be written stays unannounced until they can.
 */
@ApplicationScoped
public class ManifestPublisher implements BeforeSend {

    private final DatasetRepository datasets;
    private final ImageObjects objects;

    public ManifestPublisher(DatasetRepository datasets, ImageObjects objects) {
        this.datasets = datasets;
        this.objects = objects;
    }

    @Override
    public void prepare(PipelineEvent event) {
        if (event instanceof ImagesIngested ingested) {
            ensureWritten(ingested.datasetId(), ingested.version());
        } else if (event instanceof DatasetVersionCreated created) {
            ensureWritten(created.datasetId(), created.version());
        }
    }

    /** Writes the version's objects unless they are known to be written; the same version gives the same bytes. */
    @Transactional
    public void ensureWritten(String datasetId, int version) {
        DatasetVersionRecord record = datasets.version(datasetId, version).orElseThrow(() ->
                new IllegalStateException("dataset " + datasetId + " has no version " + version));
        if (!record.manifestWritten()) {
            objects.writeVersion(record.summary(), manifest(datasetId, version));
            record.markManifestWritten();
        }
    }

    /**
     * The version's manifest: every image up to it, older versions first. A manifest is the previous version's
     * followed by the images this version added, so when the previous one is in the bucket only this version's
     * images are read from the database (a commit costs what it adds, not the size of the dataset); otherwise
     * every image is.
     */
    private byte[] manifest(String datasetId, int version) {
        if (version > 1 && datasets.version(datasetId, version - 1).filter(DatasetVersionRecord::manifestWritten)
                .isPresent()) {
            Optional<byte[]> previous = objects.manifest(datasetId, version - 1);
            if (previous.isPresent()) {
                byte[] added = DatasetManifests.format(datasets.entriesAddedIn(datasetId, version));
                byte[] manifest = Arrays.copyOf(previous.get(), previous.get().length + added.length);
                System.arraycopy(added, 0, manifest, previous.get().length, added.length);
                return manifest;
            }
        }
        return DatasetManifests.format(datasets.entries(datasetId, version));
    }
}
