package io.stagetune.ingest;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;

/**
 * One image of a production prediction picked for review: what the served version answered (its top-k as JSON,
 * the pre-filled answer), why it was picked, what a shadow version answered, and once a reviewer labels it, the
 * label. The item id is the prediction id, or {@code <predictionId>.<n>} for the n-th image of a request.
 */
@Entity
@Table(name = "review_item")
@IdClass(ReviewItem.Key.class)
public class ReviewItem {

    public enum Reason { UNCERTAIN, AUDIT }

    public enum State { OPEN, LABELLED }

    @Id
    @Column(length = 64)
    private String model;

    @Id
    @Column(name = "item_id", length = 48)
    private String itemId;

    @Column(name = "prediction_id", nullable = false, length = 36)
    private String predictionId;

    @Column(name = "model_version", nullable = false)
    private long modelVersion;

    @Column(name = "dataset_id", length = 64)
    private String datasetId;

    @Column(nullable = false, length = 64)
    private String sha256;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private Reason reason;

    @Column(name = "predicted_label", nullable = false, length = 64)
    private String predictedLabel;

    @Column(nullable = false)
    private double probability;

    @Column(name = "top_k", nullable = false, length = 4000)
    private String topK;

    @Column(name = "shadow_version")
    private Long shadowVersion;

    @Column(name = "shadow_label", length = 64)
    private String shadowLabel;

    @Column(name = "predicted_at", nullable = false)
    private Instant predictedAt;

    @Column(name = "picked_at", nullable = false)
    private Instant pickedAt;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private State state;

    @Column(length = 64)
    private String label;

    @Column(length = 200)
    private String reviewer;

    @Column(name = "labelled_at")
    private Instant labelledAt;

    protected ReviewItem() {
    }

    public ReviewItem(String model, String itemId, String predictionId, long modelVersion, String datasetId,
                      String sha256, Reason reason, String predictedLabel, double probability, String topK,
                      Long shadowVersion, String shadowLabel, Instant predictedAt, Instant pickedAt) {
        this.model = model;
        this.itemId = itemId;
        this.predictionId = predictionId;
        this.modelVersion = modelVersion;
        this.datasetId = datasetId;
        this.sha256 = sha256;
        this.reason = reason;
        this.predictedLabel = predictedLabel;
        this.probability = probability;
        this.topK = topK;
        this.shadowVersion = shadowVersion;
        this.shadowLabel = shadowLabel;
        this.predictedAt = predictedAt;
        this.pickedAt = pickedAt;
        this.state = State.OPEN;
    }

    public void labelled(String label, String reviewer, Instant at) {
        this.state = State.LABELLED;
        this.label = label;
        this.reviewer = reviewer;
        this.labelledAt = at;
    }

    public String model() {
        return model;
    }

    public String itemId() {
        return itemId;
    }

    public String predictionId() {
        return predictionId;
    }

    public long modelVersion() {
        return modelVersion;
    }

    public String datasetId() {
        return datasetId;
    }

    public String sha256() {
        return sha256;
    }

    public Reason reason() {
        return reason;
    }

    public String predictedLabel() {
        return predictedLabel;
    }

    public double probability() {
        return probability;
    }

    public String topK() {
        return topK;
    }

    public Long shadowVersion() {
        return shadowVersion;
    }

    public String shadowLabel() {
        return shadowLabel;
    }

    public Instant predictedAt() {
        return predictedAt;
    }

    public Instant pickedAt() {
        return pickedAt;
    }

    public State state() {
        return state;
    }

    public String label() {
        return label;
    }

    public String reviewer() {
        return reviewer;
    }

    public Instant labelledAt() {
        return labelledAt;
    }

    public record Key(String model, String itemId) implements Serializable {
    }
}
