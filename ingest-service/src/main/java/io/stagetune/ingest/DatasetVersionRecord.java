package io.stagetune.ingest;

import io.stagetune.common.dataset.DatasetVersion;
import io.stagetune.common.events.EventJson;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A committed, immutable dataset version: its summary, and whether its manifest and summary objects are in the
 * bucket yet (they are written before the version is announced).
 */
@Entity
@Table(name = "dataset_version")
@IdClass(DatasetVersionRecord.Key.class)
public class DatasetVersionRecord {

    @Id
    @Column(name = "dataset_id", length = 64)
    private String datasetId;

    @Id
    private int version;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(nullable = false)
    private String summary;

    @Column(name = "manifest_written", nullable = false)
    private boolean manifestWritten;

    protected DatasetVersionRecord() {
    }

    public DatasetVersionRecord(DatasetVersion summary, boolean manifestWritten) {
        this.datasetId = summary.datasetId();
        this.version = summary.version();
        this.createdAt = summary.createdAt();
        this.summary = new String(EventJson.writeBytes(summary), StandardCharsets.UTF_8);
        this.manifestWritten = manifestWritten;
    }

    public DatasetVersion summary() {
        return EventJson.readDocument(summary.getBytes(StandardCharsets.UTF_8), DatasetVersion.class);
    }

    public boolean manifestWritten() {
        return manifestWritten;
    }

    public void markManifestWritten() {
        manifestWritten = true;
    }

    /** The primary key: a dataset and a version number. */
    public record Key(String datasetId, int version) implements Serializable {
    }
}
