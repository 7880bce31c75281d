package io.stagetune.registry.service;

import io.stagetune.common.events.AliasMoved;
import io.stagetune.common.events.ModelPromoted;
import io.stagetune.common.events.PipelineEvent;
import io.stagetune.registry.Alias;
import io.stagetune.registry.AliasMove;
import io.stagetune.registry.Model;
import io.stagetune.registry.ModelVersion;
import io.stagetune.registry.api.AliasAtView;
import io.stagetune.common.registry.AliasMoveView;
import io.stagetune.registry.api.AliasView;
import io.stagetune.common.registry.MoveAliasRequest;
import io.stagetune.common.registry.MoveResult;
import io.stagetune.persistence.outbox.Outbox;
import io.stagetune.registry.repository.AliasRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Moves aliases. Every move locks the model row first, so concurrent moves of one model run one after another;
 * the alias, its history entry and the outbox events are written in that one transaction.
 */
@ApplicationScoped
public class AliasService {

    public static final String PRODUCTION = "production";
    static final String ROLLBACK = "rollback";

    private final ModelService models;
    private final VersionService versions;
    private final AliasRepository aliases;
    private final Outbox outbox;
    private final RegistryMetrics metrics;

    public AliasService(ModelService models, VersionService versions, AliasRepository aliases, Outbox outbox,
                        RegistryMetrics metrics) {
        this.models = models;
        this.versions = versions;
        this.aliases = aliases;
        this.outbox = outbox;
        this.metrics = metrics;
    }

    @Transactional
    public MoveResult move(String modelName, String alias, MoveAliasRequest request, String actor) {
        Checks.name("alias", alias);
        if (request == null || request.version() == null) {
            throw RegistryException.badRequest("body must name the version: {\"version\": 3, \"reason\": \"...\"}");
        }
        Checks.optional("reason", request.reason(), Checks.MAX_TEXT);
        Model model = models.locked(modelName);
        ModelVersion target = versions.existing(model, request.version());
        if (request.expectedVersion() != null) {
            long current = aliases.find(model, alias).map(found -> found.version().version()).orElse(0L);
            if (current != request.expectedVersion()) {
                throw RegistryException.conflict("alias '" + alias + "' of model '" + modelName + "' points at "
                        + (current == 0 ? "no version" : "version " + current) + ", not the expected "
                        + request.expectedVersion());
            }
        }
        return moveLocked(model, alias, target, actor, request.reason(), "move");
    }

    /** Points the alias back at the version it had before its last move, recorded as a move with reason rollback. */
    @Transactional
    public MoveResult rollback(String modelName, String alias, String note, String actor) {
        Checks.name("alias", alias);
        Checks.optional("reason", note, Checks.MAX_TEXT);
        Model model = models.locked(modelName);
        AliasMove last = aliases.lastMove(model, alias).orElseThrow(() -> RegistryException.notFound("alias '"
                + alias + "' of model '" + modelName + "' has never been set"));
        if (last.fromVersion() == null) {
            throw RegistryException.conflict("alias '" + alias + "' of model '" + modelName
                    + "' has no previous version to roll back to (version " + last.toVersion() + " was its first)");
        }
        ModelVersion previous = versions.existing(model, last.fromVersion());
        String reason = note == null || note.isBlank() ? ROLLBACK : ROLLBACK + ": " + note;
        return moveLocked(model, alias, previous, actor, reason, ROLLBACK);
    }

    /** Moves an alias of a model whose lock the caller's transaction holds. */
    MoveResult moveLocked(Model model, String alias, ModelVersion target, String actor, String reason,
                          String kind) {
        Alias current = aliases.find(model, alias).orElse(null);
        Long from = current == null ? null : current.version().version();
        if (current != null && from == target.version()) {
            return new MoveResult(model.name(), alias, from, target.version(), false, current.movedAt(),
                    current.movedBy(), current.reason());
        }
        Instant now = Checks.now();
        if (current == null) {
            current = new Alias(model, alias);
            current.pointTo(target, now, actor, reason);
            aliases.persist(current);
        } else {
            current.pointTo(target, now, actor, reason);
        }
        AliasMove move = new AliasMove(model, alias, from, target.version(), now, actor, reason);
        aliases.record(move);
        for (PipelineEvent event : events(move)) {
            outbox.add(event, now);
        }
        metrics.aliasMoved(model.name(), alias, kind);
        return new MoveResult(model.name(), alias, from, target.version(), true, now, actor, reason);
    }

    @Transactional
    public List<AliasView> list(String modelName) {
        return aliases.list(models.existing(modelName)).stream().map(AliasService::view).toList();
    }

    @Transactional
    public AliasView get(String modelName, String alias) {
        Model model = models.existing(modelName);
        return aliases.find(model, alias).map(AliasService::view).orElseThrow(() ->
                RegistryException.notFound("alias '" + alias + "' of model '" + modelName + "' not set"));
    }

    @Transactional
    public List<AliasMoveView> history(String modelName, String alias) {
        return aliases.history(models.existing(modelName), alias).stream().map(AliasService::view).toList();
    }

    /** What the alias pointed at, at the time. */
    @Transactional
    public AliasAtView at(String modelName, String alias, String time) {
        Instant at = Checks.instant("at", time);
        Model model = models.existing(modelName);
        AliasMove move = aliases.moveInEffect(model, alias, at).orElseThrow(() -> RegistryException.notFound(
                "alias '" + alias + "' of model '" + modelName + "' pointed at no version at " + at));
        return new AliasAtView(modelName, alias, at, move.toVersion(), move.movedAt(), move.actor(), move.reason());
    }

    /** Ids derive from the history entry, so a resent event is recognisable as the same one. */
    static List<PipelineEvent> events(AliasMove move) {
        String model = move.model().name();
        String base = "alias-move/" + model + "/" + move.alias() + "/" + move.id() + "/";
        AliasMoved moved = new AliasMoved(eventId(base + "AliasMoved"), PipelineEvent.SCHEMA_VERSION,
                move.movedAt(), model, move.alias(), move.fromVersion(), move.toVersion(), move.actor(),
                move.reason());
        if (!PRODUCTION.equals(move.alias())) {
            return List.of(moved);
        }
        ModelPromoted promoted = new ModelPromoted(eventId(base + "ModelPromoted"), PipelineEvent.SCHEMA_VERSION,
                move.movedAt(), model, move.toVersion(), move.fromVersion(), move.actor(), move.reason());
        return List.of(moved, promoted);
    }

    private static UUID eventId(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }

    private static AliasView view(Alias alias) {
        return new AliasView(alias.model().name(), alias.name(), alias.version().version(), alias.movedAt(),
                alias.movedBy(), alias.reason());
    }

    private static AliasMoveView view(AliasMove move) {
        return new AliasMoveView(move.id(), move.model().name(), move.alias(), move.fromVersion(), move.toVersion(),
                move.movedAt(), move.actor(), move.reason());
    }
}
