package io.stagetune.ingest.review;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.stagetune.ingest.ReviewItem;
import io.stagetune.ingest.api.LiveView;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Review counters ({@code ingest_review_predictions_total} applied, {@code ingest_review_picked_total}, {@code ingest_review_labelled_total},
 * {@code ingest_review_not_picked_total}) and the live figures of each model's served version as gauges:
 * {@code ingest_live_accuracy{model,version}}, {@code ingest_live_recall{model,version,label}} and
 * {@code ingest_live_labels{model,version,label}}. The gauges are computed from the database, so every replica
 * exports the same figures.
 */
@ApplicationScoped
public class ReviewMetrics {

    private final MeterRegistry registry;
    private final Map<Meter.Id, AtomicReference<Double>> values = new ConcurrentHashMap<>();

    public ReviewMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void applied(String model) {
        registry.counter("ingest.review.predictions", "model", model).increment();
    }

    void picked(String model, ReviewItem.Reason reason) {
        registry.counter("ingest.review.picked", "model", model, "reason", reason.name().toLowerCase(Locale.ROOT))
                .increment();
    }

    void notPicked(String model, String why) {
        registry.counter("ingest.review.not.picked", "model", model, "reason", why).increment();
    }

    void labelled(String model, ReviewItem.Reason reason) {
        registry.counter("ingest.review.labelled", "model", model, "reason",
                reason.name().toLowerCase(Locale.ROOT)).increment();
    }

    /** Replaces one model's live gauges by these figures (a model no longer listed keeps none). */
    synchronized void live(Map<String, LiveView> byModel) {
        Map<Meter.Id, Double> next = new HashMap<>();
        byModel.forEach((model, view) -> {
            Tags version = Tags.of("model", model, "version", Long.toString(view.version()));
            next.put(id("ingest.live.accuracy", version, "Accuracy of the served version on audit labels"),
                    view.accuracy());
            for (LiveView.ClassLine line : view.classes()) {
                Tags tags = version.and("label", line.label());
                if (line.recall() != null) {
                    next.put(id("ingest.live.recall", tags, "Per-class accuracy (recall) on audit labels"),
                            line.recall());
                }
                next.put(id("ingest.live.labels", tags, "Audit labels behind the live figures"),
                        (double) line.labels());
            }
        });
        Set<Meter.Id> gone = new HashSet<>(values.keySet());
        gone.removeAll(next.keySet());
        for (Meter.Id id : gone) {
            registry.remove(id);
            values.remove(id);
        }
        next.forEach((id, value) -> values.computeIfAbsent(id, key -> {
            AtomicReference<Double> holder = new AtomicReference<>(value);
            Gauge.builder(key.getName(), holder, ref -> ref.get() == null ? Double.NaN : ref.get())
                    .tags(key.getTagsAsIterable()).description(key.getDescription()).register(registry);
            return holder;
        }).set(value));
    }

    private static Meter.Id id(String name, Tags tags, String description) {
        return new Meter.Id(name, tags, null, description, Meter.Type.GAUGE);
    }
}
