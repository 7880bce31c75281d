package io.stagetune.registry;

import io.stagetune.common.events.EpochCompleted;
import io.stagetune.common.events.Stage;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** One completed epoch of a run's stage, as the trainer reported it on {@code training-progress}. */
@Entity
@Table(name = "run_epoch")
public class RunEpoch {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "run_id", nullable = false, length = 200)
    private String runId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private Stage stage;

    @Column(nullable = false)
    private int epoch;

    @Column(name = "max_epochs", nullable = false)
    private int maxEpochs;

    @Column(name = "train_loss", nullable = false)
    private double trainLoss;

    @Column(name = "train_accuracy", nullable = false)
    private double trainAccuracy;

    @Column(name = "val_accuracy", nullable = false)
    private double valAccuracy;

    @Column(name = "images_per_second", nullable = false)
    private double imagesPerSecond;

    @Column(name = "duration_millis", nullable = false)
    private long durationMillis;

    @Column(nullable = false)
    private boolean best;

    @Column(name = "occurred_at", nullable = false)
    private Instant occurredAt;

    protected RunEpoch() {
    }

    public RunEpoch(EpochCompleted event) {
        runId = event.runId();
        stage = event.stage();
        epoch = event.epoch();
        update(event);
    }

    /** Takes the figures of a later report of the same epoch (a resumed stage trains it again). */
    public final void update(EpochCompleted event) {
        maxEpochs = event.maxEpochs();
        trainLoss = event.trainLoss();
        trainAccuracy = event.trainAccuracy();
        valAccuracy = event.valAccuracy();
        imagesPerSecond = event.imagesPerSecond();
        durationMillis = event.durationMillis();
        best = event.best();
        occurredAt = event.occurredAt();
    }

    public String runId() {
        return runId;
    }

    public Stage stage() {
        return stage;
    }

    public int epoch() {
        return epoch;
    }

    public int maxEpochs() {
        return maxEpochs;
    }

    public double trainLoss() {
        return trainLoss;
    }

    public double trainAccuracy() {
        return trainAccuracy;
    }

    public double valAccuracy() {
        return valAccuracy;
    }

    public double imagesPerSecond() {
        return imagesPerSecond;
    }

    public long durationMillis() {
        return durationMillis;
    }

    public boolean best() {
        return best;
    }

    public Instant occurredAt() {
        return occurredAt;
    }
}
