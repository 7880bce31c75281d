package io.stagetune.ingest.review;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ingest.review.*}: which production predictions are picked for review, and where their labels go. The
 * policy's keys directly under {@code ingest.review} apply to every model; {@code ingest.review.models."<model>".*}
 * overrides any of them for one model.
 */
@ConfigMapping(prefix = "ingest.review")
public interface ReviewConfig {

    /** Whether ingest consumes {@code predictions} and picks from it (labels and reads work either way). */
    @WithDefault("true")
    boolean enabled();

    /** The bucket where the serving-service keeps predicted images ({@code <bucket>/<model>/<sha256>}). */
    @WithDefault("predictions")
    String imagesBucket();

    /** How often staged labels older than {@code batch-max-wait} are looked for and sealed into a version. */
    @WithDefault("30s")
    Duration sealEvery();

    /** How often the live gauges are recomputed from the audit labels. */
    @WithDefault("30s")
    Duration liveMetricsEvery();

    @WithParentName
    Defaults defaults();

    Map<String, Overrides> models();

    /** The policy of a model: its overrides over the defaults. */
    default Policy policy(String model) {
        Defaults d = defaults();
        Optional<Overrides> o = Optional.ofNullable(models().get(model));
        return new Policy(
                o.flatMap(Overrides::uncertaintyBelow).orElse(d.uncertaintyBelow()),
                o.flatMap(Overrides::auditPercent).orElse(d.auditPercent()),
                o.flatMap(Overrides::classCap).orElse(d.classCap()),
                o.flatMap(Overrides::maxPerHour).orElse(d.maxPerHour()),
                o.flatMap(Overrides::dataset).or(d::dataset),
                o.flatMap(Overrides::allowNewLabels).orElse(d.allowNewLabels()),
                o.flatMap(Overrides::auditInTraining).orElse(d.auditInTraining()),
                o.flatMap(Overrides::batchSize).orElse(d.batchSize()),
                o.flatMap(Overrides::batchMaxWait).orElse(d.batchMaxWait()),
                o.flatMap(Overrides::window).orElse(d.window()));
    }

    interface Defaults {
        /** A prediction whose top-1 probability is below this is picked as {@code uncertain}. */
        @WithDefault("0.6")
        double uncertaintyBelow();

        /** This percentage of all predictions (of kept images) is picked as {@code audit}, at random. */
        @WithDefault("2.0")
        double auditPercent();

        /** Most open {@code uncertain} items per predicted label; more are not picked until some are labelled. */
        @WithDefault("200")
        int classCap();

        /** Most {@code uncertain} picks per model in any hour of prediction time. */
        @WithDefault("500")
        int maxPerHour();

        /** The dataset labels go into; default: the dataset the predicting version was trained on. */
        Optional<String> dataset();

        /** Whether a label the dataset does not have yet is accepted (a new class) or refused. */
        @WithDefault("false")
        boolean allowNewLabels();

        /** Whether audit labels are trained on (split by content hash) or kept in the held-out {@code audit} split. */
        @WithDefault("false")
        boolean auditInTraining();

        /** Staged labels that seal a dataset version (a version per batch, never one per label). */
        @WithDefault("50")
        int batchSize();

        /** Staged labels older than this are sealed even when the batch is not full. */
        @WithDefault("10m")
        Duration batchMaxWait();

        /** Live figures are computed over the newest this many audit labels of a version. */
        @WithDefault("500")
        int window();
    }

    interface Overrides {
        Optional<Double> uncertaintyBelow();

        Optional<Double> auditPercent();

        Optional<Integer> classCap();

        Optional<Integer> maxPerHour();

        Optional<String> dataset();

        Optional<Boolean> allowNewLabels();

        Optional<Boolean> auditInTraining();

        Optional<Integer> batchSize();

        Optional<Duration> batchMaxWait();

        Optional<Integer> window();
    }

    /** One model's effective policy. */
    record Policy(double uncertaintyBelow, double auditPercent, int classCap, int maxPerHour, Optional<String> dataset,
                  boolean allowNewLabels, boolean auditInTraining, int batchSize, Duration batchMaxWait, int window) {
    }
}
