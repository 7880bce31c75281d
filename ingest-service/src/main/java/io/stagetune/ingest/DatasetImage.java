package io.stagetune.ingest;

import io.stagetune.common.dataset.ManifestEntry;
import io.stagetune.common.events.Split;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;

/**
 * An accepted image of a dataset, once per content hash. Staged while {@code version} is null; then the version it
 * first appeared in, which never changes. {@code seq} (assigned by the database) orders a version's manifest.
 */
@Entity
@Table(name = "dataset_image")
@IdClass(DatasetImage.Key.class)
public class DatasetImage {

    @Id
    @Column(name = "dataset_id", length = 64)
    private String datasetId;

    @Id
    @Column(length = 64)
    private String sha256;

    @Column(insertable = false, updatable = false)
    private Long seq;

    @Column(name = "object_key", nullable = false, length = 300)
    private String objectKey;

    @Column(nullable = false, length = 64)
    private String label;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 8)
    private Split split;

    @Column(nullable = false)
    private int width;

    @Column(nullable = false)
    private int height;

    private Integer version;

    @Column(name = "upload_id", nullable = false, length = 36)
    private String uploadId;

    @Column(name = "added_at", nullable = false)
    private Instant addedAt;

    @Convert(converter = ProvenanceColumn.class)
    @Column(length = 2000)
    private ManifestEntry.Provenance provenance;

    protected DatasetImage() {
    }

    public DatasetImage(String datasetId, ManifestEntry entry, Integer version, String uploadId, Instant addedAt) {
        this.datasetId = datasetId;
        this.sha256 = entry.sha256();
        this.objectKey = entry.key();
        this.label = entry.label();
        this.split = entry.split();
        this.width = entry.width();
        this.height = entry.height();
        this.version = version;
        this.uploadId = uploadId;
        this.addedAt = addedAt;
        this.provenance = entry.provenance();
    }

    /** The primary key: a dataset and a content hash. */
    public record Key(String datasetId, String sha256) implements Serializable {
    }
}
