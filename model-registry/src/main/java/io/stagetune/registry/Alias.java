package io.stagetune.registry;

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

/** A movable pointer (production, staging, ...) to one version of a model. */
@Entity
@Table(name = "alias")
public class Alias {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "model_id")
    private Model model;

    @Column(nullable = false, length = 64)
    private String name;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "version_id")
    private ModelVersion version;

    @Column(name = "moved_at", nullable = false)
    private Instant movedAt;

    @Column(name = "moved_by", nullable = false)
    private String movedBy;

    @Column(length = 2000)
    private String reason;

    protected Alias() {
    }

    public Alias(Model model, String name) {
        this.model = model;
        this.name = name;
    }

    public void pointTo(ModelVersion target, Instant at, String actor, String why) {
        version = target;
        movedAt = at;
        movedBy = actor;
        reason = why;
    }

    public Model model() {
        return model;
    }

    public String name() {
        return name;
    }

    public ModelVersion version() {
        return version;
    }

    public Instant movedAt() {
        return movedAt;
    }

    public String movedBy() {
        return movedBy;
    }

    public String reason() {
        return reason;
    }
}
