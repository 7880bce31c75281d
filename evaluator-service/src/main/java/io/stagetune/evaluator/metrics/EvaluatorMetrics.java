package io.stagetune.evaluator.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.stagetune.common.storage.CacheBudget;
import io.stagetune.evaluator.evaluation.CheckpointEvaluator;
import io.stagetune.evaluator.evaluation.ClassMetrics;
import io.stagetune.evaluator.evaluation.Evaluation;
import io.stagetune.evaluator.evaluation.EvaluationMetrics;
import io.stagetune.evaluator.promotion.PromotionDecision;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Evaluation metrics: accuracy and per-class accuracy of production and of the latest candidate (label = class
 * name, bounded by the model's labels), evaluations, their duration and images/s, promotion decisions, the local
 * image cache's size, budget and evictions, and the test images decoded from their originals (the others were read
 * as an earlier evaluation decoded them).
 */
@ApplicationScoped
public class EvaluatorMetrics {

    private final MeterRegistry registry;
    private final Map<String, AtomicReference<Double>> gauges = new ConcurrentHashMap<>();

    public EvaluatorMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * Removes this service's meters when the application stops. Quarkus registers them in Micrometer's global
     * registry, which outlives the application: without this, an application started again in the same JVM (as
     * the tests do) would get back gauges and function counters bound to the stopped one's objects.
     */
    @PreDestroy
    void removeMeters() {
        registry.getMeters().stream().filter(meter -> meter.getId().getName().startsWith("evaluator."))
                .forEach(registry::remove);
    }

    /** The local image cache: bytes at the last trim, the budget, bytes evicted so far. */
    public void cache(CacheBudget budget) {
        Gauge.builder("evaluator.cache", budget, CacheBudget::bytes).baseUnit("bytes").register(registry);
        Gauge.builder("evaluator.cache.max", budget, CacheBudget::maxBytes).baseUnit("bytes").register(registry);
        FunctionCounter.builder("evaluator.cache.evicted", budget, CacheBudget::evictedBytes).baseUnit("bytes")
                .register(registry);
    }

    /** Batches run through a model: an evaluation of a version whose predictions are stored adds none. */
    public void forwardPasses(CheckpointEvaluator evaluator) {
        FunctionCounter.builder("evaluator.forward.passes", evaluator, CheckpointEvaluator::forwardPasses)
                .register(registry);
    }

    /** Test images an evaluation decoded from their originals. */
    public void imagesDecoded(int images) {
        registry.counter("evaluator.images.decoded").increment(images);
    }

    public void evaluated(String model, String stage, Evaluation evaluation) {
        registry.counter("evaluator.evaluations", "model", model, "stage", stage).increment();
        Timer.builder("evaluator.evaluation").tag("model", model).register(registry).record(evaluation.duration());
        set("evaluator.images.per.second", Tags.of("model", model), evaluation.imagesPerSecond());
    }

    /** Quality of a version in a role ({@code candidate} or {@code production}). */
    public void quality(String model, String role, EvaluationMetrics metrics) {
        set("evaluator.accuracy", Tags.of("model", model, "role", role), metrics.accuracy());
        for (ClassMetrics perClass : metrics.perClass()) {
            set("evaluator.class.accuracy", Tags.of("model", model, "role", role, "label", perClass.label()),
                    perClass.accuracy());
        }
    }

    public void decided(String model, PromotionDecision decision) {
        String outcome = decision.promoted() ? "promoted" : "rejected";
        if (decision.rejections().isEmpty()) {
            registry.counter("evaluator.promotion.decisions", "model", model, "outcome", outcome, "reason", "none")
                    .increment();
        }
        decision.rejections().forEach(rejection -> registry.counter("evaluator.promotion.decisions", "model", model,
                "outcome", outcome, "reason", rejection.name().toLowerCase(Locale.ROOT)).increment());
    }

    public void failed(String reason) {
        registry.counter("evaluator.checkpoints.failed", "reason", reason).increment();
    }

    private void set(String name, Tags tags, double value) {
        gauges.computeIfAbsent(name + tags, key -> {
            AtomicReference<Double> holder = new AtomicReference<>(value);
            registry.gauge(name, tags, holder, AtomicReference::get);
            return holder;
        }).set(value);
    }
}
