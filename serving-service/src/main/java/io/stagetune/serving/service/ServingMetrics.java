package io.stagetune.serving.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

/**
 * The serving-service's meters. Tags stay bounded: model, version, outcome, predicted label; never image or
 * request ids.
 */
@ApplicationScoped
public class ServingMetrics {

    /** The version tag of a request that no version answered (refused input, nothing loaded). */
    public static final String NO_VERSION = "none";

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> servedVersions = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> batchLimits = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> shadowVersions = new ConcurrentHashMap<>();
    private final AtomicInteger openVersions = new AtomicInteger();

    public ServingMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("serving.versions.open", openVersions, AtomicInteger::get)
                .description("Versions loaded and not yet closed: the served ones, plus old ones still draining")
                .register(registry);
    }

    public void versionOpened() {
        openVersions.incrementAndGet();
    }

    public void versionClosed() {
        openVersions.decrementAndGet();
    }

    /** One prediction request: its latency, by model, version and outcome (ok, or the refusal's reason). */
    public void request(String model, String version, String outcome, Duration latency) {
        Timer.builder("serving.requests").description("Prediction requests by model, version and outcome")
                .tags("model", model, "version", version, "outcome", outcome)
                .publishPercentileHistogram().register(registry).record(latency);
    }

    /** Records the images of each forward that a model's batcher ran. */
    public IntConsumer batchSizes(String model) {
        DistributionSummary sizes = DistributionSummary.builder("serving.batch.size")
                .description("Images per forward, as dynamic batching gathered them").tags("model", model)
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64).register(registry);
        return sizes::record;
    }

    public void predicted(String model, String label) {
        Counter.builder("serving.predictions").description("Images answered, by top-1 predicted label")
                .tags("model", model, "label", label).register(registry).increment();
    }

    /** A reload attempt: loaded, or failed (download, load, warm-up or check). */
    public void reload(String model, String outcome, Duration duration) {
        Timer.builder("serving.reloads").description("Reloads of a served model by outcome, and their duration")
                .tags("model", model, "outcome", outcome).register(registry).record(duration);
    }

    /** The version a model serves now (-1: none) and that version's batch limit (0: none). */
    public void servedVersion(String model, long version, int batchLimit) {
        servedVersions.computeIfAbsent(model, name -> {
            AtomicLong value = new AtomicLong(-1);
            Gauge.builder("serving.model.version", value, AtomicLong::get)
                    .description("The version each model serves now (-1: none loaded)").tags("model", name)
                    .register(registry);
            return value;
        }).set(version);
        batchLimits.computeIfAbsent(model, name -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("serving.batch.limit", value, AtomicLong::get)
                    .description("Most images per forward of the served version, tuned at its warm-up (0: none "
                            + "loaded)").tags("model", name).register(registry);
            return value;
        }).set(batchLimit);
    }

    /** A reload attempt of a model's shadow version (kept apart from the served version's reloads). */
    public void shadowReload(String model, String outcome, Duration duration) {
        Timer.builder("serving.shadow.reloads").description("Reloads of a model's shadow version by outcome")
                .tags("model", model, "outcome", outcome).register(registry).record(duration);
    }

    public void shadowVersion(String model, long version) {
        shadowVersions.computeIfAbsent(model, name -> {
            AtomicLong value = new AtomicLong(-1);
            Gauge.builder("serving.shadow.version", value, AtomicLong::get)
                    .description("The shadow version run beside each model (-1: none)").tags("model", name)
                    .register(registry);
            return value;
        }).set(version);
    }

    /**
     * One image that both the served version and the shadow answered: whether their top-1 labels agree. The rate
     * of agree="true" per pair of versions is the shadow's agreement with production.
     */
    public void shadowAgreement(String model, long version, long shadowVersion, boolean agree, int images) {
        Counter.builder("serving.shadow.agreement")
                .description("Images answered by the served version and run by the shadow, by top-1 agreement")
                .tags("model", model, "version", Long.toString(version), "shadow_version",
                        Long.toString(shadowVersion), "agree", Boolean.toString(agree))
                .register(registry).increment(images);
    }

    /** A request published without its shadow answer: the shadow failed, or too many images waited for it. */
    public void shadowSkipped(String model, String reason, int images) {
        Counter.builder("serving.shadow.skipped")
                .description("Images the shadow did not answer, by reason (failed, busy)")
                .tags("model", model, "reason", reason).register(registry).increment(images);
    }

    public void predictionNotLogged(String model) {
        Counter.builder("serving.prediction.log.failures")
                .description("Predictions answered but not acknowledged by the broker on the predictions topic")
                .tags("model", model).register(registry).increment();
    }
}
