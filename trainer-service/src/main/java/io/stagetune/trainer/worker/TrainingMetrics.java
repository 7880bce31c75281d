package io.stagetune.trainer.worker;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.stagetune.common.events.Stage;
import io.stagetune.common.storage.CacheBudget;
import io.stagetune.trainer.training.EpochReport;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Training metrics by model and stage: the last epoch's loss, validation accuracy and images/s (gauges), epochs
 * trained, stage durations, and the commands in flight; deferred commands, lost leases, stages stopped for a
 * shutdown and revoked partitions; the local cache's size, budget and evictions. Labels stay bounded: model and
 * stage names, reasons.
 */
@ApplicationScoped
public class TrainingMetrics {

    private final MeterRegistry registry;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<String, double[]> lastEpoch = new ConcurrentHashMap<>();

    public TrainingMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("trainer.commands.in.flight", inFlight);
    }

    public void started() {
        inFlight.incrementAndGet();
    }

    public void finished() {
        inFlight.decrementAndGet();
    }

    public void epoch(String model, Stage stage, EpochReport report) {
        double[] values = lastEpoch.computeIfAbsent(model + "/" + stage, key -> {
            double[] holder = new double[3];
            Tags tags = Tags.of("model", model, "stage", stage.name());
            registry.gauge("trainer.epoch.loss", tags, holder, h -> h[0]);
            registry.gauge("trainer.epoch.val.accuracy", tags, holder, h -> h[1]);
            registry.gauge("trainer.epoch.images.per.second", tags, holder, h -> h[2]);
            return holder;
        });
        values[0] = report.trainLoss();
        values[1] = report.valAccuracy();
        values[2] = report.imagesPerSecond();
        registry.counter("trainer.epochs", "model", model, "stage", stage.name()).increment();
    }

    public void stageCompleted(String model, Stage stage, Duration duration) {
        Timer.builder("trainer.stage.duration").tags("model", model, "stage", stage.name())
                .register(registry).record(duration);
    }

    /** The local cache (images and features): bytes at the last trim, the budget, bytes evicted so far. */
    public void cache(CacheBudget budget) {
        Gauge.builder("trainer.cache", budget, CacheBudget::bytes).baseUnit("bytes").register(registry);
        Gauge.builder("trainer.cache.max", budget, CacheBudget::maxBytes).baseUnit("bytes").register(registry);
        FunctionCounter.builder("trainer.cache.evicted", budget, CacheBudget::evictedBytes).baseUnit("bytes")
                .register(registry);
    }

    /** A command whose stage another live worker holds was sent to the end of its partition. */
    public void commandDeferred() {
        registry.counter("trainer.commands.deferred").increment();
    }

    /** This worker lost a stage's lease to another worker (it paused or was cut off past the expiry). */
    public void leaseLost() {
        registry.counter("trainer.leases.lost").increment();
    }

    /** A stage stopped at an epoch boundary because the worker is shutting down; the next worker resumes it. */
    public void stageStopped() {
        registry.counter("trainer.stages.stopped").increment();
    }

    public void partitionsRevoked(int count, boolean inFlight) {
        registry.counter("trainer.partitions.revoked", "in_flight", Boolean.toString(inFlight)).increment(count);
    }

    public void commandFailed(String reason) {
        registry.counter("trainer.commands.failed", "reason", reason).increment();
    }
}
