package io.stagetune.registry;

import io.stagetune.common.checkpoint.WarmStart;
import io.stagetune.common.events.Stage;
import io.stagetune.common.registry.RunStatus;
import io.stagetune.registry.repository.JsonColumns;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A training run: one model on one dataset version, with a plan of stages and the status of each. */
@Entity
@Table(name = "run")
public class Run {

    @Id
    private String id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "model_id")
    private Model model;

    @Column(name = "dataset_id", nullable = false)
    private String datasetId;

    @Column(name = "dataset_version", nullable = false)
    private int datasetVersion;

    @Column(nullable = false)
    private String plan;

    @Column(name = "stage_status", nullable = false)
    private String stageStatus;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private RunStatus status;

    @Column(name = "base_backbone", length = 1000)
    private String baseBackbone;

    @Column(name = "run_trigger", length = 1000)
    private String trigger;

    @Column(length = 2000)
    private String message;

    private String hyperparameters;

    @Column(name = "train_images")
    private Integer trainImages;

    private String labels;

    @Column(name = "warm_start_version")
    private Long warmStartVersion;

    @Column(name = "warm_start_checkpoint", length = 1000)
    private String warmStartCheckpoint;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Column(name = "started_at")
    private Instant startedAt;

    @Column(name = "finished_at")
    private Instant finishedAt;

    protected Run() {
    }

    public Run(String id, Model model, String datasetId, int datasetVersion, List<Stage> plan, String baseBackbone,
               String trigger, Map<String, String> hyperparameters, Integer trainImages, List<String> labels,
               Instant now) {
        this.id = id;
        this.model = model;
        this.datasetId = datasetId;
        this.datasetVersion = datasetVersion;
        this.plan = JsonColumns.write(plan.stream().map(Stage::name).toList());
        Map<String, String> pending = new LinkedHashMap<>();
        plan.forEach(stage -> pending.put(stage.name(), RunStatus.PENDING.name()));
        this.stageStatus = JsonColumns.write(pending);
        this.status = RunStatus.PENDING;
        this.baseBackbone = baseBackbone;
        this.trigger = trigger;
        this.hyperparameters = hyperparameters == null ? null : JsonColumns.write(hyperparameters);
        this.trainImages = trainImages;
        this.labels = labels == null ? null : JsonColumns.write(labels);
        this.createdAt = now;
        this.updatedAt = now;
    }

    /** Records the production version the run starts from (null: its base backbone); set once, at creation. */
    public void startFrom(WarmStart warmStart) {
        warmStartVersion = warmStart == null ? null : warmStart.version();
        warmStartCheckpoint = warmStart == null ? null : warmStart.checkpoint();
    }

    /** Applies a status change; the first RUNNING sets the start time, a terminal status the finish time. */
    public void update(RunStatus newStatus, Map<Stage, RunStatus> stages, String newMessage, Instant now) {
        if (newStatus != null) {
            status = newStatus;
        }
        if (stages != null && !stages.isEmpty()) {
            Map<String, String> merged = new LinkedHashMap<>(JsonColumns.stringMap(stageStatus));
            stages.forEach((stage, stageState) -> merged.put(stage.name(), stageState.name()));
            stageStatus = JsonColumns.write(merged);
            if (newStatus == null && status == RunStatus.PENDING && stages.containsValue(RunStatus.RUNNING)) {
                status = RunStatus.RUNNING;
            }
        }
        if (newMessage != null) {
            message = newMessage;
        }
        if (status != RunStatus.PENDING && startedAt == null) {
            startedAt = now;
        }
        if (status.terminal() && finishedAt == null) {
            finishedAt = now;
        }
        updatedAt = now;
    }

    public String id() {
        return id;
    }

    public Model model() {
        return model;
    }

    public String datasetId() {
        return datasetId;
    }

    public int datasetVersion() {
        return datasetVersion;
    }

    public List<Stage> plan() {
        return JsonColumns.stringList(plan).stream().map(Stage::valueOf).toList();
    }

    public Map<String, String> stageStatus() {
        return JsonColumns.stringMap(stageStatus);
    }

    public RunStatus status() {
        return status;
    }

    public String baseBackbone() {
        return baseBackbone;
    }

    public String trigger() {
        return trigger;
    }

    public String message() {
        return message;
    }

    public Map<String, String> hyperparameters() {
        return JsonColumns.stringMap(hyperparameters);
    }

    public Integer trainImages() {
        return trainImages;
    }

    public List<String> labels() {
        return JsonColumns.stringList(labels);
    }

    public WarmStart warmStart() {
        return warmStartVersion == null ? null : new WarmStart(warmStartVersion, warmStartCheckpoint);
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant finishedAt() {
        return finishedAt;
    }
}
