package io.stagetune.registry;

import io.stagetune.common.events.Stage;
import io.stagetune.common.registry.LeaseState;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * The lease on one stage of a run: who trains it, until when without renewal, and the fencing token of that grant.
 * Every grant increases the token, so a worker that lost the lease is refused by token, whatever the clocks say.
 */
@Entity
@Table(name = "stage_lease")
public class StageLease {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "run_id", nullable = false, length = 200)
    private String runId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private Stage stage;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private LeaseState state;

    @Column(nullable = false, length = 200)
    private String owner;

    @Column(nullable = false)
    private long token;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    private Integer epoch;

    @Column(name = "epoch_checkpoint", length = 1000)
    private String epochCheckpoint;

    @Column(length = 1000)
    private String attempt;

    @Column(name = "acquired_at", nullable = false)
    private Instant acquiredAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected StageLease() {
    }

    public StageLease(String runId, Stage stage) {
        this.runId = runId;
        this.stage = stage;
        this.state = LeaseState.RELEASED;
    }

    /** Gives the lease to {@code newOwner} with the next token; a released stage is held again. */
    public void grant(String newOwner, Instant now, Instant until) {
        token++;
        owner = newOwner;
        if (state == LeaseState.RELEASED) {
            state = LeaseState.HELD;
        }
        acquiredAt = now;
        expiresAt = until;
        updatedAt = now;
    }

    public void renew(Instant now, Instant until) {
        expiresAt = until;
        updatedAt = now;
    }

    public void recordEpoch(int completedEpoch, String checkpoint, Instant now) {
        epoch = completedEpoch;
        epochCheckpoint = checkpoint;
        updatedAt = now;
    }

    public void complete(String checkpointAttempt, Instant now) {
        state = LeaseState.COMPLETED;
        attempt = checkpointAttempt;
        updatedAt = now;
    }

    public void published(Instant now) {
        state = LeaseState.PUBLISHED;
        updatedAt = now;
    }

    /** Handed back: a held stage becomes free to resume, a completed one free to publish, both at once. */
    public void release(Instant now) {
        if (state == LeaseState.HELD) {
            state = LeaseState.RELEASED;
        }
        expiresAt = now;
        updatedAt = now;
    }

    public String runId() {
        return runId;
    }

    public Stage stage() {
        return stage;
    }

    public LeaseState state() {
        return state;
    }

    public String owner() {
        return owner;
    }

    public long token() {
        return token;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    public Integer epoch() {
        return epoch;
    }

    public String epochCheckpoint() {
        return epochCheckpoint;
    }

    public String attempt() {
        return attempt;
    }

    public Instant acquiredAt() {
        return acquiredAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }
}
