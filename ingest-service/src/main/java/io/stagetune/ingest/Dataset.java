package io.stagetune.ingest;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * A dataset's row: its latest version number, and the lock that serialises everything that changes the dataset
 * (commits, seals, clean-ups of failed uploads) across every replica of the ingest service.
 */
@Entity
@Table(name = "dataset")
public class Dataset {

    @Id
    @Column(length = 64)
    private String id;

    @Column(name = "latest_version", nullable = false)
    private int latestVersion;

    @Column(nullable = false)
    private long cleanups;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected Dataset() {
    }

    public Dataset(String id, Instant createdAt) {
        this.id = id;
        this.createdAt = createdAt;
    }

    public String id() {
        return id;
    }

    public int latestVersion() {
        return latestVersion;
    }

    /** How many failed uploads removed what they had stored: an upload that saw fewer checks its objects. */
    public long cleanups() {
        return cleanups;
    }

    public int nextVersion() {
        return ++latestVersion;
    }

    /** Takes over the versions an earlier release kept in the bucket alone. */
    public void importedUpTo(int version) {
        latestVersion = version;
    }

    public void cleanedUp() {
        cleanups++;
    }
}
