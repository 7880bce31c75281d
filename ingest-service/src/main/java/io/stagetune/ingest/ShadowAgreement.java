package io.stagetune.ingest;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;

/** How often a shadow version's top-1 agreed with production's, per production label. */
@Entity
@Table(name = "shadow_agreement")
@IdClass(ShadowAgreement.Key.class)
public class ShadowAgreement {

    @Id
    @Column(length = 64)
    private String model;

    @Id
    @Column(name = "model_version")
    private long modelVersion;

    @Id
    @Column(name = "shadow_version")
    private long shadowVersion;

    @Id
    @Column(length = 64)
    private String label;

    @Column(nullable = false)
    private long predictions;

    @Column(nullable = false)
    private long agreements;

    protected ShadowAgreement() {
    }

    public ShadowAgreement(String model, long modelVersion, long shadowVersion, String label) {
        this.model = model;
        this.modelVersion = modelVersion;
        this.shadowVersion = shadowVersion;
        this.label = label;
    }

    public void count(boolean agreed) {
        predictions++;
        if (agreed) {
            agreements++;
        }
    }

    public long shadowVersion() {
        return shadowVersion;
    }

    public String label() {
        return label;
    }

    public long predictions() {
        return predictions;
    }

    public long agreements() {
        return agreements;
    }

    public record Key(String model, long modelVersion, long shadowVersion, String label) implements Serializable {
    }
}
