package io.stagetune.serving.service;

import io.quarkus.runtime.ShutdownEvent;
import io.stagetune.common.events.PredictionMade;
import io.stagetune.common.events.PredictionMade.LabelProbability;
import io.stagetune.common.events.PredictionMade.Shadow;
import io.stagetune.common.image.Preprocessor;
import io.stagetune.serving.config.ServingConfig;
import io.stagetune.serving.messaging.PredictionLog;
import io.stagetune.serving.model.ServedModel;
import io.stagetune.serving.model.ServedModels;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a model's shadow version on the images production has just answered and publishes the
 * {@code PredictionMade} once both answers are known. The HTTP answer has already been built from production alone:
 * the shadow's forward is queued on its own batcher only after production's, never holds up the answer and never
 * reaches it. When the shadow is the very version production is serving, its answers are production's (nothing
 * runs twice). A shadow that fails, or that has more than {@code serving.shadow.max-pending-images} images waiting,
 * leaves the event without its shadow part; that is counted ({@code serving.shadow.skipped}) and the event is
 * published all the same.
 */
@ApplicationScoped
public class ShadowRunner {

    private static final Logger LOG = Logger.getLogger(ShadowRunner.class);

    private final ServedModels served;
    private final ShadowAliases aliases;
    private final PredictionLog log;
    private final ServingMetrics metrics;
    private final int maxPending;
    private final Map<String, AtomicInteger> pending = new ConcurrentHashMap<>();
    /**
     * Completes shadow answers off the batcher's worker thread: releasing the last reference to a swapped-out
     * shadow closes its batcher, which joins that worker. Also preprocesses for a shadow whose preprocessing
     * differs from production's.
     */
    private final ExecutorService completions = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "shadow-completion");
        thread.setDaemon(true);
        return thread;
    });

    public ShadowRunner(ServedModels served, ShadowAliases aliases, PredictionLog log, ServingMetrics metrics,
                        ServingConfig config) {
        this.served = served;
        this.aliases = aliases;
        this.log = log;
        this.metrics = metrics;
        this.maxPending = config.shadow().maxPendingImages();
    }

    void stop(@Observes ShutdownEvent event) {
        completions.shutdown();
    }

    /**
     * Publishes {@code answered} (production's answer to {@code decoded}, computed from {@code inputs} and giving
     * {@code logits}), with the shadow's top-1 per image when the model has a shadow; returns at once.
     */
    public void publish(PredictionMade answered, ServedModel production, List<BufferedImage> decoded, float[] inputs,
                        float[][] logits) {
        String model = production.model();
        Optional<String> alias = aliases.of(model);
        Optional<ServedModels.Lease> acquired = alias.isPresent() ? served.acquireShadow(model) : Optional.empty();
        if (acquired.isEmpty()) {
            log.publish(answered);
            return;
        }
        ServedModels.Lease lease = acquired.get();
        ServedModel shadow = lease.model();
        int images = decoded.size();
        if (shadow.version() == production.version()) {
            lease.close();
            complete(answered, production, shadow, alias.get(), logits);
            return;
        }
        AtomicInteger waiting = pending.computeIfAbsent(model, name -> new AtomicInteger());
        if (waiting.addAndGet(images) > maxPending) {
            waiting.addAndGet(-images);
            lease.close();
            metrics.shadowSkipped(model, "busy", images);
            log.publish(answered);
            return;
        }
        CompletableFuture<float[][]> forward;
        if (shadow.preprocessor().preprocessing().equals(production.preprocessor().preprocessing())) {
            forward = shadow.forward(inputs, images);
        } else {
            forward = CompletableFuture.supplyAsync(() -> preprocess(shadow.preprocessor(), decoded), completions)
                    .thenCompose(own -> shadow.forward(own, images));
        }
        forward.whenCompleteAsync((shadowLogits, failure) -> {
            waiting.addAndGet(-images);
            try {
                if (failure != null) {
                    metrics.shadowSkipped(model, "failed", images);
                    LOG.warnf("model %s: shadow version %d failed on prediction %s, published without it: %s",
                            model, shadow.version(), answered.predictionId(), failure.getMessage());
                    log.publish(answered);
                } else {
                    complete(answered, production, shadow, alias.get(), shadowLogits);
                }
            } finally {
                lease.close();
            }
        }, completions);
    }

    private void complete(PredictionMade answered, ServedModel production, ServedModel shadow, String alias,
                          float[][] shadowLogits) {
        List<LabelProbability> top1 = new ArrayList<>(shadowLogits.length);
        int agree = 0;
        for (int i = 0; i < shadowLogits.length; i++) {
            LabelProbability own = PredictionService.topK(shadow.labels(), shadowLogits[i], 1).get(0);
            top1.add(own);
            if (own.label().equals(answered.images().get(i).top().get(0).label())) {
                agree++;
            }
        }
        if (agree > 0) {
            metrics.shadowAgreement(production.model(), production.version(), shadow.version(), true, agree);
        }
        if (agree < top1.size()) {
            metrics.shadowAgreement(production.model(), production.version(), shadow.version(), false,
                    top1.size() - agree);
        }
        log.publish(new PredictionMade(answered.eventId(), answered.schemaVersion(), answered.occurredAt(),
                answered.predictionId(), answered.model(), answered.version(), answered.alias(), answered.images(),
                answered.latencyMs(), answered.datasetId(), new Shadow(shadow.version(), alias, top1)));
    }

    private static float[] preprocess(Preprocessor preprocessor, List<BufferedImage> decoded) {
        int floats = preprocessor.outputLength();
        float[] inputs = new float[decoded.size() * floats];
        for (int i = 0; i < decoded.size(); i++) {
            preprocessor.evalTransform(decoded.get(i), inputs, i * floats);
        }
        return inputs;
    }
}
