package io.stagetune.registry;

import io.stagetune.common.events.Stage;
import io.stagetune.common.registry.Metrics;
import io.stagetune.registry.repository.JsonColumns;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;

/** One registered checkpoint of a model, numbered 1..n per model, with its evaluation. */
@Entity
@Table(name = "model_version")
public class ModelVersion {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "model_id")
    private Model model;

    @Column(nullable = false)
    private long version;

    @Column(name = "run_id")
    private String runId;

    @Enumerated(EnumType.STRING)
    private Stage stage;

    @Column(nullable = false, unique = true, length = 1000)
    private String checkpoint;

    @Column(name = "parent_checkpoint", length = 1000)
    private String parentCheckpoint;

    @Column(name = "dataset_id")
    private String datasetId;

    @Column(name = "dataset_version")
    private Integer datasetVersion;

    @Column(name = "base_backbone", length = 1000)
    private String baseBackbone;

    @Column(nullable = false)
    private String labels;

    private Double accuracy;

    @Column(name = "macro_precision")
    private Double macroPrecision;

    @Column(name = "macro_recall")
    private Double macroRecall;

    @Column(name = "macro_f1")
    private Double macroF1;

    @Column(name = "images_evaluated")
    private Integer imagesEvaluated;

    @Column(name = "per_class")
    private String perClass;

    @Column(name = "confusion_matrix")
    private String confusionMatrix;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected ModelVersion() {
    }

    public ModelVersion(Model model, long version, String runId, Stage stage, String checkpoint,
                        String parentCheckpoint, String datasetId, Integer datasetVersion, String baseBackbone,
                        List<String> labels, Metrics metrics, Instant createdAt) {
        this.model = model;
        this.version = version;
        this.runId = runId;
        this.stage = stage;
        this.checkpoint = checkpoint;
        this.parentCheckpoint = parentCheckpoint;
        this.datasetId = datasetId;
        this.datasetVersion = datasetVersion;
        this.baseBackbone = baseBackbone;
        this.labels = JsonColumns.write(labels);
        this.createdAt = createdAt;
        setMetrics(metrics);
    }

    public final void setMetrics(Metrics metrics) {
        Metrics m = metrics == null ? new Metrics(null, null, null, null, null, null, null) : metrics;
        accuracy = m.accuracy();
        macroPrecision = m.macroPrecision();
        macroRecall = m.macroRecall();
        macroF1 = m.macroF1();
        imagesEvaluated = m.imagesEvaluated();
        perClass = JsonColumns.write(m.perClass());
        confusionMatrix = JsonColumns.write(m.confusionMatrix());
    }

    public Long id() {
        return id;
    }

    public Model model() {
        return model;
    }

    public long version() {
        return version;
    }

    public String runId() {
        return runId;
    }

    public Stage stage() {
        return stage;
    }

    public String checkpoint() {
        return checkpoint;
    }

    public String parentCheckpoint() {
        return parentCheckpoint;
    }

    public String datasetId() {
        return datasetId;
    }

    public Integer datasetVersion() {
        return datasetVersion;
    }

    public String baseBackbone() {
        return baseBackbone;
    }

    public List<String> labels() {
        return JsonColumns.stringList(labels);
    }

    /** The headline figures alone, without reading the per-class JSON (lists of many versions need only these). */
    public Double accuracy() {
        return accuracy;
    }

    public Double macroF1() {
        return macroF1;
    }

    public Metrics metrics() {
        return new Metrics(accuracy, macroPrecision, macroRecall, macroF1, imagesEvaluated,
                JsonColumns.classMetrics(perClass), JsonColumns.matrix(confusionMatrix));
    }

    public Instant createdAt() {
        return createdAt;
    }
}
