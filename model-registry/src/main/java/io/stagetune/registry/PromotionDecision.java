package io.stagetune.registry;

import io.stagetune.common.registry.Metrics;
import io.stagetune.common.registry.PromotionStatistics;
import io.stagetune.registry.repository.JsonColumns;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;

/** The evaluator's verdict on a candidate against production, with its reasons and both metric sets. */
@Entity
@Table(name = "promotion_decision")
public class PromotionDecision {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "model_id")
    private Model model;

    /** Model, candidate and production compared: the same comparison is recorded once. */
    @Column(name = "decision_key", nullable = false, unique = true, length = 300)
    private String decisionKey;

    @Column(name = "run_id")
    private String runId;

    @Column(name = "candidate_version", nullable = false)
    private long candidateVersion;

    @Column(name = "production_version")
    private Long productionVersion;

    @Column(nullable = false)
    private boolean promoted;

    @Column(nullable = false)
    private String reasons;

    @Column(name = "candidate_metrics")
    private String candidateMetrics;

    @Column(name = "production_metrics")
    private String productionMetrics;

    /** The paired gate's statistics as JSON; null for older decisions and those of the thresholds policy. */
    @Column(name = "statistics")
    private String statistics;

    @Column(nullable = false)
    private String actor;

    @Column(name = "decided_at", nullable = false)
    private Instant decidedAt;

    protected PromotionDecision() {
    }

    public PromotionDecision(Model model, String runId, long candidateVersion, Long productionVersion,
                             boolean promoted, List<String> reasons, Metrics candidateMetrics,
                             Metrics productionMetrics, PromotionStatistics statistics, String actor,
                             Instant decidedAt) {
        this.model = model;
        this.decisionKey = key(model.name(), candidateVersion, productionVersion);
        this.runId = runId;
        this.candidateVersion = candidateVersion;
        this.productionVersion = productionVersion;
        this.promoted = promoted;
        this.reasons = JsonColumns.write(reasons);
        this.candidateMetrics = JsonColumns.write(candidateMetrics);
        this.productionMetrics = JsonColumns.write(productionMetrics);
        this.statistics = JsonColumns.write(statistics);
        this.actor = actor;
        this.decidedAt = decidedAt;
    }

    public static String key(String model, long candidateVersion, Long productionVersion) {
        return model + "/" + candidateVersion + "/vs/" + (productionVersion == null ? "none" : productionVersion);
    }

    public Long id() {
        return id;
    }

    public Model model() {
        return model;
    }

    public String runId() {
        return runId;
    }

    public long candidateVersion() {
        return candidateVersion;
    }

    public Long productionVersion() {
        return productionVersion;
    }

    public boolean promoted() {
        return promoted;
    }

    public List<String> reasons() {
        return JsonColumns.stringList(reasons);
    }

    public Metrics candidateMetrics() {
        return JsonColumns.metrics(candidateMetrics);
    }

    public Metrics productionMetrics() {
        return JsonColumns.metrics(productionMetrics);
    }

    public PromotionStatistics statistics() {
        return JsonColumns.promotionStatistics(statistics);
    }

    public String actor() {
        return actor;
    }

    public Instant decidedAt() {
        return decidedAt;
    }
}
