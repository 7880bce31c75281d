package io.stagetune.registry.service;

import io.stagetune.registry.Alias;
import io.stagetune.registry.Model;
import io.stagetune.registry.ModelVersion;
import io.stagetune.registry.PromotionDecision;
import io.stagetune.common.registry.MoveResult;
import io.stagetune.common.registry.PromotionRequest;
import io.stagetune.common.registry.PromotionStatistics;
import io.stagetune.common.registry.PromotionView;
import io.stagetune.registry.repository.AliasRepository;
import io.stagetune.registry.repository.PromotionRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Stores promotion decisions; a positive one moves {@code production} in the same transaction. The same comparison
 * (model, candidate, production) is stored once: recording it again returns the stored decision and moves nothing,
 * so a redelivered decision cannot promote twice.
 */
@ApplicationScoped
public class PromotionService {

    static final int MAX_RESULTS = 1000;

    private final ModelService models;
    private final VersionService versions;
    private final AliasService aliasService;
    private final AliasRepository aliases;
    private final PromotionRepository promotions;
    private final RegistryMetrics metrics;

    public PromotionService(ModelService models, VersionService versions, AliasService aliasService,
                            AliasRepository aliases, PromotionRepository promotions, RegistryMetrics metrics) {
        this.models = models;
        this.versions = versions;
        this.aliasService = aliasService;
        this.aliases = aliases;
        this.promotions = promotions;
        this.metrics = metrics;
    }

    /** A recording's outcome: the decision, and whether this call stored it. */
    public record Recorded(PromotionView decision, boolean created) {
    }

    @Transactional
    public Recorded record(String modelName, PromotionRequest request, String actor) {
        validate(request);
        Model model = models.locked(modelName);
        ModelVersion candidate = versions.existing(model, request.candidateVersion());
        if (request.productionVersion() != null) {
            versions.existing(model, request.productionVersion());
        }
        Optional<PromotionDecision> stored = promotions.findByKey(PromotionDecision.key(modelName,
                request.candidateVersion(), request.productionVersion()));
        if (stored.isPresent()) {
            return new Recorded(view(stored.get(), null), false);
        }
        MoveResult move = null;
        if (request.promoted()) {
            Long production = aliases.find(model, AliasService.PRODUCTION)
                    .map(Alias::version).map(ModelVersion::version).orElse(null);
            boolean alreadyCandidate = production != null && production == candidate.version();
            if (!alreadyCandidate && !Objects.equals(production, request.productionVersion())) {
                throw RegistryException.conflict("production of model '" + modelName + "' is "
                        + (production == null ? "not set" : "version " + production) + ", but the decision compared "
                        + "candidate " + candidate.version() + " with "
                        + (request.productionVersion() == null ? "no production" : "version "
                        + request.productionVersion()) + "; evaluate again");
            }
            move = aliasService.moveLocked(model, AliasService.PRODUCTION, candidate, actor,
                    "promoted: " + String.join("; ", request.reasons()), "promotion");
        }
        PromotionDecision decision = new PromotionDecision(model, request.runId(), candidate.version(),
                request.productionVersion(), request.promoted(), request.reasons(), request.candidateMetrics(),
                request.productionMetrics(), request.statistics(), actor, Checks.now());
        promotions.persist(decision);
        metrics.decided(modelName, request.promoted());
        return new Recorded(view(decision, move), true);
    }

    @Transactional
    public List<PromotionView> list(String modelName, Long candidateVersion, Boolean promoted) {
        Model model = models.existing(modelName);
        return promotions.list(model, candidateVersion, promoted, MAX_RESULTS).stream()
                .map(decision -> view(decision, null)).toList();
    }

    @Transactional
    public PromotionView get(String modelName, long id) {
        Model model = models.existing(modelName);
        return promotions.find(model, id).map(decision -> view(decision, null)).orElseThrow(() ->
                RegistryException.notFound("promotion decision " + id + " of model '" + modelName + "' not found"));
    }

    private static void validate(PromotionRequest request) {
        if (request == null || request.candidateVersion() == null || request.promoted() == null) {
            throw RegistryException.badRequest("body must give candidateVersion and promoted: "
                    + "{\"candidateVersion\": 4, \"productionVersion\": 2, \"promoted\": true, \"reasons\": [...]}");
        }
        Checks.positive("candidateVersion", request.candidateVersion());
        if (request.productionVersion() != null) {
            Checks.positive("productionVersion", request.productionVersion());
        }
        if (request.reasons() == null || request.reasons().isEmpty()) {
            throw RegistryException.badRequest("reasons must say why the candidate was or was not promoted");
        }
        Checks.optional("runId", request.runId(), 200);
        VersionService.validate(request.candidateMetrics(), null);
        VersionService.validate(request.productionMetrics(), null);
        validate(request.statistics());
    }

    /** Paired statistics, when given, name their policy and carry an overall comparison with its verdict. */
    private static void validate(PromotionStatistics statistics) {
        if (statistics == null) {
            return;
        }
        Checks.optional("statistics.policy", statistics.policy(), 64);
        if (statistics.overall() == null || statistics.overall().verdict() == null) {
            throw RegistryException.badRequest("statistics.overall must give the overall comparison and its verdict");
        }
        for (PromotionStatistics.Comparison perClass : statistics.perClass()) {
            if (perClass == null || perClass.label() == null || perClass.verdict() == null) {
                throw RegistryException.badRequest("statistics.perClass: each entry must give its label and verdict");
            }
        }
    }

    private static PromotionView view(PromotionDecision decision, MoveResult move) {
        return new PromotionView(decision.id(), decision.model().name(), decision.runId(),
                decision.candidateVersion(), decision.productionVersion(), decision.promoted(), decision.reasons(),
                decision.candidateMetrics(), decision.productionMetrics(), decision.statistics(), decision.actor(),
                decision.decidedAt(), move);
    }
}
