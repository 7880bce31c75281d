package io.stagetune.evaluator.service;

import io.stagetune.common.checkpoint.CheckpointManifest;
import io.stagetune.common.dataset.DatasetManifests;
import io.stagetune.common.dataset.ImageCache;
import io.stagetune.common.events.CheckpointPublished;
import io.stagetune.common.events.EvaluationCompleted;
import io.stagetune.common.events.EventJson;
import io.stagetune.common.events.PipelineEvent;
import io.stagetune.common.events.Split;
import io.stagetune.common.registry.Metrics;
import io.stagetune.common.registry.MoveAliasRequest;
import io.stagetune.common.registry.PromotionRequest;
import io.stagetune.common.registry.PromotionView;
import io.stagetune.common.registry.RegisterVersionRequest;
import io.stagetune.common.registry.VersionView;
import io.stagetune.common.runtime.ObjectStoreConfig;
import io.stagetune.common.storage.CacheBudget;
import io.stagetune.common.storage.ObjectKeys;
import io.stagetune.common.storage.ObjectStore;
import io.stagetune.common.storage.ObjectUri;
import io.stagetune.evaluator.client.RegistryClient;
import io.stagetune.evaluator.client.RegistryMetrics;
import io.stagetune.evaluator.config.EvaluatorConfig;
import io.stagetune.inference.CheckpointDownloader;
import io.stagetune.evaluator.evaluation.CheckpointEvaluator;
import io.stagetune.inference.CheckpointModel;
import io.stagetune.evaluator.evaluation.Evaluation;
import io.stagetune.evaluator.evaluation.EvaluationMetrics;
import io.stagetune.evaluator.evaluation.ImagePredictions;
import io.stagetune.evaluator.evaluation.LabelledImage;
import io.stagetune.evaluator.evaluation.TestSplit;
import io.stagetune.evaluator.evaluation.TestSplitImages;
import io.stagetune.evaluator.metrics.EvaluatorMetrics;
import io.stagetune.evaluator.promotion.BestVersion;
import io.stagetune.evaluator.promotion.EvaluatedVersion;
import io.stagetune.evaluator.promotion.PairedPolicy;
import io.stagetune.evaluator.promotion.PromotionDecision;
import io.stagetune.evaluator.promotion.PromotionPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * What the evaluator does with a published checkpoint: evaluate it on its dataset version's test split, keep its
 * per-image predictions beside the checkpoint ({@link ObjectKeys#predictionsFile}) and register it as a model
 * version (once: a checkpoint already registered is not evaluated again), and after the run's last stage decide
 * promotion of the run's best version against production on the same test split. Production is evaluated there
 * only when it has no stored predictions (or, under the thresholds policy, no metrics) on that split; what such an
 * evaluation yields is stored too, so the next decision against the same production evaluates nothing but its
 * candidate. Every step is idempotent, so a redelivered event changes nothing and yields the same results.
 */
@ApplicationScoped
public class EvaluationService {

    private static final Logger LOG = Logger.getLogger(EvaluationService.class);

    private final RegistryClient registry;
    private final ObjectStore store;
    private final DatasetManifests manifests;
    private final PromotionPolicy policy;
    private final EvaluatorMetrics metrics;
    private final CheckpointEvaluator evaluator;
    private final TestSplitImages testImages;
    private final Path work;
    private final CacheBudget budget;

    private final Optional<String> shadowAlias;
    private final double stageChoiceStandardErrors;

    public EvaluationService(@RestClient RegistryClient registry, ObjectStore store, ObjectStoreConfig storeConfig,
                             PromotionPolicy policy, EvaluatorMetrics metrics, EvaluatorConfig config) {
        this.shadowAlias = config.promotion().shadowAlias();
        this.stageChoiceStandardErrors = config.promotion().stageChoiceStandardErrors();
        this.registry = registry;
        this.store = store;
        this.manifests = new DatasetManifests(store, storeConfig.datasetsBucket());
        this.policy = policy;
        this.metrics = metrics;
        Path root = Path.of(config.cacheDir());
        this.evaluator = new CheckpointEvaluator(config.batchSize(), root.resolve("decoded"));
        metrics.forwardPasses(evaluator);
        this.testImages = new TestSplitImages(manifests, new ImageCache(store, root.resolve("images"),
                config.downloadParallelism()));
        this.work = root.resolve("work");
        this.budget = new CacheBudget(List.of(root.resolve("images"), root.resolve("decoded")),
                config.cacheMaxSize().asLongValue());
        metrics.cache(budget);
        budget.trimAfterTask();
    }

    /**
     * The events this checkpoint yields: its evaluation, with the promotion decision when it closed the run. The
     * image cache is trimmed afterwards, not between the candidate's and production's evaluations of one split.
     */
    public EvaluationCompleted process(CheckpointPublished checkpoint) {
        try {
            return evaluated(checkpoint);
        } finally {
            budget.trimAfterTask();
        }
    }

    private EvaluationCompleted evaluated(CheckpointPublished checkpoint) {
        VersionView version = registered(checkpoint);
        EvaluationMetrics candidateMetrics = RegistryMetrics.fromRegistry(version.metrics());
        EvaluationCompleted.Promotion promotion = checkpoint.lastStage() ? decide(checkpoint) : null;
        return new EvaluationCompleted(
                UUID.nameUUIDFromBytes(("evaluated:" + checkpoint.checkpoint()).getBytes(StandardCharsets.UTF_8)),
                PipelineEvent.SCHEMA_VERSION, PipelineEvent.now(), checkpoint.runId(), checkpoint.model(),
                checkpoint.stage(), checkpoint.checkpoint(), version.version(), checkpoint.datasetId(),
                checkpoint.datasetVersion(), candidateMetrics.imagesEvaluated(), candidateMetrics.accuracy(),
                candidateMetrics.macroF1(), candidateMetrics.perClassAccuracy(), promotion);
    }

    /** The checkpoint's model version, evaluating and registering it first when the registry lacks it. */
    private VersionView registered(CheckpointPublished checkpoint) {
        List<VersionView> existing = registry.versionsWithCheckpoint(checkpoint.checkpoint());
        if (!existing.isEmpty()) {
            return registry.version(checkpoint.model(), existing.get(0).version());
        }
        TestSplit split = new TestSplit(checkpoint.datasetId(), checkpoint.datasetVersion());
        Evaluation evaluation = evaluate(checkpoint.checkpoint(), split);
        metrics.evaluated(checkpoint.model(), checkpoint.stage().name(), evaluation);
        metrics.quality(checkpoint.model(), "candidate", evaluation.metrics());
        LOG.infof("run %s stage %s: test accuracy %.4f on %d images", checkpoint.runId(), checkpoint.stage(),
                evaluation.metrics().accuracy(), evaluation.metrics().imagesEvaluated());
        return registry.register(checkpoint.model(), new RegisterVersionRequest(checkpoint.runId(),
                checkpoint.stage(), checkpoint.checkpoint(), checkpoint.parentCheckpoint(), null,
                checkpoint.datasetId(), checkpoint.datasetVersion(), checkpoint.baseBackbone(), checkpoint.labels(),
                RegistryMetrics.toRegistry(evaluation.metrics())));
    }

    private EvaluationCompleted.Promotion decide(CheckpointPublished last) {
        String model = last.model();
        TestSplit split = new TestSplit(last.datasetId(), last.datasetVersion());
        List<EvaluatedVersion> stages = new ArrayList<>();
        Map<String, String> checkpoints = new HashMap<>();
        for (VersionView summary : registry.versionsOfRun(model, last.runId())) {
            VersionView version = registry.version(model, summary.version());
            stages.add(new EvaluatedVersion(id(version.version()), version.stage(), version.labels(),
                    valAccuracy(version.checkpoint()), split, RegistryMetrics.fromRegistry(version.metrics())));
            checkpoints.put(id(version.version()), version.checkpoint());
        }
        EvaluatedVersion candidate = BestVersion.of(stages, validationImages(split, stages.get(0).labels()),
                stageChoiceStandardErrors);
        long candidateVersion = Long.parseLong(candidate.id().substring(1));
        List<PromotionView> earlier = registry.promotionsOf(model, candidateVersion);
        if (!earlier.isEmpty()) {
            PromotionView decided = earlier.get(0);
            return new EvaluationCompleted.Promotion(decided.promoted(), candidateVersion,
                    decided.productionVersion(), decided.reasons());
        }
        Optional<VersionView> production = production(model);
        Optional<EvaluatedVersion> current;
        if (production.isPresent() && policy instanceof PairedPolicy) {
            candidate = withPredictions(candidate, predictions(checkpoints.get(candidate.id()), split));
            current = production.map(version -> pairedOnSplit(version, split));
        } else {
            current = production.map(version -> onSplit(version, split));
        }
        PromotionDecision decision = policy.decide(candidate, current);
        current.ifPresent(version -> metrics.quality(model, "production", version.metrics()));
        metrics.quality(model, "candidate", candidate.metrics());
        Metrics productionMetrics = current.map(version -> RegistryMetrics.toRegistry(version.metrics())).orElse(null);
        PromotionView stored = registry.decide(model, new PromotionRequest(last.runId(), candidateVersion,
                production.map(VersionView::version).orElse(null), decision.promoted(), decision.reasons(),
                RegistryMetrics.toRegistry(candidate.metrics()), productionMetrics, decision.statistics()));
        metrics.decided(model, decision);
        if (stored.promoted()) {
            // The candidate is production now: the production series steps to it (also on the first promotion).
            metrics.quality(model, "production", candidate.metrics());
        } else {
            shadow(model, candidateVersion);
        }
        LOG.infof("run %s: version %d %s (%s)", last.runId(), candidateVersion,
                stored.promoted() ? "promoted to production" : "not promoted", String.join("; ", stored.reasons()));
        return new EvaluationCompleted.Promotion(stored.promoted(), candidateVersion, stored.productionVersion(),
                stored.reasons());
    }

    /** Points the configured shadow alias at a rejected candidate; a failure is logged, the decision stands. */
    private void shadow(String model, long candidateVersion) {
        shadowAlias.ifPresent(alias -> {
            try {
                registry.moveAlias(model, alias, new MoveAliasRequest(candidateVersion,
                        "rejected by the promotion gate: measured as the shadow on live traffic", null)).close();
                LOG.infof("model %s: alias %s -> version %d (rejected candidate)", model, alias, candidateVersion);
            } catch (RuntimeException e) {
                LOG.warnf("model %s: alias %s not moved to rejected version %d: %s", model, alias,
                        candidateVersion, e.getMessage());
            }
        });
    }

    private Optional<VersionView> production(String model) {
        try {
            return Optional.of(registry.version(model, registry.production(model).version()));
        } catch (WebApplicationException e) {
            if (e.getResponse().getStatus() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Production's metrics on the candidate's test split: its own when it was evaluated there, else fresh ones. */
    private EvaluatedVersion onSplit(VersionView production, TestSplit split) {
        EvaluationMetrics productionMetrics;
        if (split.datasetId().equals(production.datasetId())
                && Integer.valueOf(split.datasetVersion()).equals(production.datasetVersion())) {
            productionMetrics = RegistryMetrics.fromRegistry(production.metrics());
        } else {
            LOG.infof("re-evaluating production version %d of %s on %s", production.version(), production.model(),
                    split);
            productionMetrics = evaluate(production.checkpoint(), split).metrics();
        }
        return new EvaluatedVersion(id(production.version()), production.stage(), production.labels(), 0, split,
                productionMetrics);
    }

    /** Production with its predictions on the candidate's split, evaluated there only when none are stored. */
    private EvaluatedVersion pairedOnSplit(VersionView production, TestSplit split) {
        ImagePredictions predictions = predictions(production.checkpoint(), split);
        return new EvaluatedVersion(id(production.version()), production.stage(), production.labels(), 0, split,
                predictions.metrics(), predictions);
    }

    private static EvaluatedVersion withPredictions(EvaluatedVersion version, ImagePredictions predictions) {
        return new EvaluatedVersion(version.id(), version.stage(), version.labels(), version.valAccuracy(),
                version.testSplit(), version.metrics(), predictions);
    }

    /**
     * A checkpoint's stored predictions on a split; when there are none (versions evaluated before predictions were
     * kept, production on a newer split) or they cannot be read, it is evaluated there and they are stored.
     */
    private ImagePredictions predictions(String checkpointUri, TestSplit split) {
        ObjectUri file = predictionsFile(checkpointUri, split);
        Optional<byte[]> stored = store.find(file.bucket(), file.key());
        if (stored.isPresent()) {
            try {
                return ImagePredictions.fromGzipJson(stored.get());
            } catch (IllegalArgumentException e) {
                LOG.warnf("stored predictions %s cannot be read (%s): evaluating again", file, e.getMessage());
            }
        } else {
            LOG.infof("no predictions of %s on %s stored: evaluating it there", checkpointUri, split);
        }
        return evaluate(checkpointUri, split).predictions();
    }

    private static ObjectUri predictionsFile(String checkpointUri, TestSplit split) {
        return ObjectUri.parse(checkpointUri).resolve(ObjectKeys.predictionsFile(split.datasetId(),
                split.datasetVersion()));
    }

    /** Evaluates a checkpoint on a split and stores its per-image predictions there. */
    private Evaluation evaluate(String checkpointUri, TestSplit split) {
        Path folder = work.resolve(UUID.randomUUID().toString());
        try {
            Path local = new CheckpointDownloader(store).download(checkpointUri, folder);
            try (CheckpointModel model = CheckpointModel.load(local)) {
                List<LabelledImage> images = testImages.fetch(split,
                        evaluator.decodedFiles(model.preprocessor().preprocessing()));
                Evaluation evaluation = evaluator.evaluate(model, split, images);
                metrics.imagesDecoded(evaluation.imagesDecoded());
                ObjectUri file = predictionsFile(checkpointUri, split);
                store.put(file.bucket(), file.key(), evaluation.predictions().toGzipJson(), "application/gzip");
                LOG.infof("evaluated %s on %s: %d images, %d decoded now, %.0f images/s", checkpointUri, split,
                        images.size(), evaluation.imagesDecoded(), evaluation.imagesPerSecond());
                return evaluation;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot evaluate " + checkpointUri, e);
        } finally {
            deleteRecursively(folder);
        }
    }


    /**
     * How many validation images of the run's labels the dataset version holds: what its stages' validation
     * accuracies were measured on. 0 (unknown) for a dataset without a validation split, whose runs held out a part
     * of the training images instead.
     */
    private int validationImages(TestSplit split, List<String> labels) {
        Set<String> known = Set.copyOf(labels);
        return (int) manifests.entries(split.datasetId(), split.datasetVersion()).stream()
                .filter(entry -> entry.split() == Split.VAL && known.contains(entry.label())).count();
    }

    /** The validation accuracy the checkpoint's stage reported: what picks a run's best version. */
    private double valAccuracy(String checkpointUri) {
        ObjectUri folder = ObjectUri.parse(checkpointUri);
        return EventJson.readDocument(store.get(folder.bucket(), folder.resolve(CheckpointManifest.FILE).key()),
                CheckpointManifest.class).valAccuracy();
    }

    private static String id(long version) {
        return "v" + version;
    }

    private static void deleteRecursively(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOG.warnf("cannot clean %s: %s", folder, e.getMessage());
        }
    }
}
