package io.stagetune.registry.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.stagetune.registry.Alias;
import io.stagetune.registry.Model;
import io.stagetune.registry.ModelVersion;
import io.stagetune.common.registry.Metrics;
import io.stagetune.common.registry.RegisterVersionRequest;
import io.stagetune.registry.api.VersionQuery;
import io.stagetune.registry.api.VersionSummary;
import io.stagetune.common.registry.VersionView;
import io.stagetune.registry.repository.AliasRepository;
import io.stagetune.registry.repository.VersionRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

@ApplicationScoped
public class VersionService {

    /** Longest lineage followed; deeper chains are cut (a guard, real chains are a few stages per run). */
    static final int MAX_LINEAGE = 100;
    static final int MAX_RESULTS = 1000;

    private final ModelService models;
    private final VersionRepository versions;
    private final AliasRepository aliases;

    public VersionService(ModelService models, VersionRepository versions, AliasRepository aliases) {
        this.models = models;
        this.versions = versions;
        this.aliases = aliases;
    }

    /** A registration's outcome: the version, and whether this call created it. */
    public record Registration(VersionView version, boolean created) {
    }

    /**
     * Registers the checkpoint as the model's next version, or returns the version it already is. The model's lock
     * serialises registrations of one model, so numbers are gapless and a checkpoint never gets two versions.
     */
    public Registration register(String modelName, RegisterVersionRequest request) {
        validate(request);
        models.ensureExists(modelName);
        return QuarkusTransaction.requiringNew().call(() -> {
            Model model = models.locked(modelName);
            Optional<ModelVersion> existing = versions.findByCheckpoint(request.checkpoint());
            if (existing.isPresent()) {
                ModelVersion version = existing.get();
                if (!version.model().name().equals(modelName)) {
                    throw RegistryException.conflict("checkpoint '" + request.checkpoint()
                            + "' is already registered as model '" + version.model().name() + "' version "
                            + version.version());
                }
                return new Registration(view(version), false);
            }
            String parentCheckpoint = request.parentCheckpoint();
            if (request.parentVersion() != null) {
                ModelVersion parent = versions.find(model, request.parentVersion()).orElseThrow(() ->
                        RegistryException.notFound("parent version " + request.parentVersion() + " of model '"
                                + modelName + "' not found"));
                parentCheckpoint = parent.checkpoint();
            }
            ModelVersion version = new ModelVersion(model, versions.nextNumber(model), request.runId(),
                    request.stage(), request.checkpoint(), parentCheckpoint, request.datasetId(),
                    request.datasetVersion(), request.baseBackbone(), request.labels(), request.metrics(),
                    Checks.now());
            versions.persist(version);
            return new Registration(view(version), true);
        });
    }

    @Transactional
    public VersionView get(String modelName, long number) {
        return view(existing(models.existing(modelName), number));
    }

    @Transactional
    public VersionView byAlias(String modelName, String alias) {
        Model model = models.existing(modelName);
        return aliases.find(model, alias).map(found -> view(found.version())).orElseThrow(() ->
                RegistryException.notFound("alias '" + alias + "' of model '" + modelName + "' not set"));
    }

    @Transactional
    public List<VersionSummary> search(VersionQuery query) {
        if (query.model() != null) {
            models.existing(query.model());
        }
        List<ModelVersion> found = versions.search(query, MAX_RESULTS);
        Map<Long, List<String>> aliasNames = aliases.pointingAt(found).stream().collect(Collectors.groupingBy(
                alias -> alias.version().id(), Collectors.mapping(Alias::name, Collectors.toList())));
        return found.stream().map(version -> new VersionSummary(version.model().name(), version.version(),
                version.runId(), version.stage(), version.checkpoint(), version.parentCheckpoint(),
                version.datasetId(), version.datasetVersion(), version.accuracy(), version.macroF1(),
                aliasNames.getOrDefault(version.id(), List.of()),
                version.createdAt())).toList();
    }

    ModelVersion existing(Model model, long number) {
        return versions.find(model, number).orElseThrow(() -> RegistryException.notFound("version " + number
                + " of model '" + model.name() + "' not found"));
    }

    private VersionView view(ModelVersion version) {
        List<String> aliasNames = aliases.pointingAt(List.of(version)).stream().map(Alias::name).toList();
        return new VersionView(version.model().name(), version.version(), version.runId(), version.stage(),
                version.checkpoint(), version.parentCheckpoint(), version.datasetId(), version.datasetVersion(),
                version.baseBackbone(), version.labels(), version.metrics(), aliasNames, version.createdAt(),
                lineage(version));
    }

    /** Parents by checkpoint URI, nearest first; parents may belong to another model (a pretrained base). */
    private List<VersionView.LineageEntry> lineage(ModelVersion version) {
        List<VersionView.LineageEntry> chain = new ArrayList<>();
        Set<String> seen = new HashSet<>(Set.of(version.checkpoint()));
        String parent = version.parentCheckpoint();
        while (parent != null && seen.add(parent) && chain.size() < MAX_LINEAGE) {
            Optional<ModelVersion> found = versions.findByCheckpoint(parent);
            if (found.isEmpty()) {
                chain.add(new VersionView.LineageEntry(null, null, null, null, parent));
                break;
            }
            ModelVersion ancestor = found.get();
            chain.add(new VersionView.LineageEntry(ancestor.model().name(), ancestor.version(), ancestor.stage(),
                    ancestor.runId(), ancestor.checkpoint()));
            parent = ancestor.parentCheckpoint();
        }
        return chain;
    }

    private static void validate(RegisterVersionRequest request) {
        if (request == null) {
            throw RegistryException.badRequest("body must describe the version: {\"checkpoint\": \"s3://...\", "
                    + "\"labels\": [...], ...}");
        }
        Checks.required("checkpoint", request.checkpoint(), Checks.MAX_URI);
        Checks.optional("parentCheckpoint", request.parentCheckpoint(), Checks.MAX_URI);
        Checks.optional("baseBackbone", request.baseBackbone(), Checks.MAX_URI);
        Checks.optional("runId", request.runId(), 200);
        if (request.parentCheckpoint() != null && request.parentVersion() != null) {
            throw RegistryException.badRequest("give parentCheckpoint or parentVersion, not both");
        }
        if (request.checkpoint().equals(request.parentCheckpoint())) {
            throw RegistryException.badRequest("checkpoint '" + request.checkpoint() + "' cannot be its own parent");
        }
        if (request.datasetId() != null) {
            Checks.name("datasetId", request.datasetId());
        }
        if (request.datasetVersion() != null) {
            Checks.positive("datasetVersion", request.datasetVersion());
        }
        List<String> labels = request.labels() == null ? List.of() : request.labels();
        if (labels.isEmpty() || labels.stream().anyMatch(label -> label == null || label.isBlank())) {
            throw RegistryException.badRequest("labels must be a non-empty list of names, in the head's order");
        }
        if (new HashSet<>(labels).size() != labels.size()) {
            throw RegistryException.badRequest("labels " + labels + " contain a duplicate");
        }
        validate(request.metrics(), labels);
    }

    static void validate(Metrics metrics, List<String> labels) {
        if (metrics == null) {
            return;
        }
        Checks.fraction("metrics.accuracy", metrics.accuracy());
        Checks.fraction("metrics.macroPrecision", metrics.macroPrecision());
        Checks.fraction("metrics.macroRecall", metrics.macroRecall());
        Checks.fraction("metrics.macroF1", metrics.macroF1());
        if (metrics.imagesEvaluated() != null && metrics.imagesEvaluated() < 0) {
            throw RegistryException.badRequest("metrics.imagesEvaluated must be >= 0");
        }
        for (Metrics.ClassMetrics perClass : metrics.perClass()) {
            String label = perClass.label();
            if (labels != null && !labels.contains(label)) {
                throw RegistryException.badRequest("metrics.perClass names label '" + label
                        + "', which is not among the labels " + labels);
            }
            Checks.fraction("metrics.perClass[" + label + "].accuracy", perClass.accuracy());
            Checks.fraction("metrics.perClass[" + label + "].precision", perClass.precision());
            Checks.fraction("metrics.perClass[" + label + "].recall", perClass.recall());
            Checks.fraction("metrics.perClass[" + label + "].f1", perClass.f1());
        }
        List<List<Long>> matrix = metrics.confusionMatrix();
        if (!matrix.isEmpty() && labels != null && (matrix.size() != labels.size()
                || matrix.stream().anyMatch(row -> row.size() != labels.size()))) {
            throw RegistryException.badRequest("metrics.confusionMatrix must be " + labels.size() + " x "
                    + labels.size() + " (one row and column per label)");
        }
    }
}
