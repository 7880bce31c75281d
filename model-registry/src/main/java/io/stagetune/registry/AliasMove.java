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

/** One entry of an alias's history; never changed once written. */
@Entity
@Table(name = "alias_move")
public class AliasMove {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "model_id")
    private Model model;

    @Column(nullable = false, length = 64)
    private String alias;

    @Column(name = "from_version")
    private Long fromVersion;

    @Column(name = "to_version", nullable = false)
    private long toVersion;

    @Column(name = "moved_at", nullable = false)
    private Instant movedAt;

    @Column(nullable = false)
    private String actor;

    @Column(length = 2000)
    private String reason;

    protected AliasMove() {
    }

    public AliasMove(Model model, String alias, Long fromVersion, long toVersion, Instant movedAt, String actor,
                     String reason) {
        this.model = model;
        this.alias = alias;
        this.fromVersion = fromVersion;
        this.toVersion = toVersion;
        this.movedAt = movedAt;
        this.actor = actor;
        this.reason = reason;
    }

    public Long id() {
        return id;
    }

    public Model model() {
        return model;
    }

    public String alias() {
        return alias;
    }

    public Long fromVersion() {
        return fromVersion;
    }

    public long toVersion() {
        return toVersion;
    }

    public Instant movedAt() {
        return movedAt;
    }

    public String actor() {
        return actor;
    }

    public String reason() {
        return reason;
    }
}
