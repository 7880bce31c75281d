package io.stagetune.serving.messaging;

import io.stagetune.common.events.PredictionMade;
import io.stagetune.common.runtime.EventSender;
import io.stagetune.serving.service.ServingMetrics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Publishes every answered prediction on {@code predictions}, keyed by model. The answer does not wait for the
 * event: a request only queues it (serializing and handing it to the Kafka client happen on one sender thread), and
 * a prediction stays available while the broker is down. An event the broker never acknowledges, or one that finds
 * {@link #MAX_PENDING} events already queued, is counted ({@code serving.prediction.log.failures}) and logged.
 */
@ApplicationScoped
public class PredictionLog {

    /** Events queued for the sender thread at most: about 1 KB each. */
    static final int MAX_PENDING = 10_000;

    private static final Logger LOG = Logger.getLogger(PredictionLog.class);

    private final Emitter<String> predictions;
    private final ServingMetrics metrics;
    private final ThreadPoolExecutor sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(MAX_PENDING), runnable -> {
                Thread thread = new Thread(runnable, "prediction-log");
                thread.setDaemon(true);
                return thread;
            });

    public PredictionLog(@Channel("predictions") Emitter<String> predictions, ServingMetrics metrics) {
        this.predictions = predictions;
        this.metrics = metrics;
    }

    public void publish(PredictionMade prediction) {
        try {
            sender.execute(() -> send(prediction));
        } catch (RejectedExecutionException e) {
            notLogged(prediction, sender.isShutdown() ? "the service is stopping"
                    : MAX_PENDING + " events are already waiting for the broker");
        }
    }

    private void send(PredictionMade prediction) {
        EventSender.sendAsync(predictions, prediction).whenComplete((sent, failure) -> {
            if (failure != null) {
                notLogged(prediction, failure.getMessage());
            }
        });
    }

    private void notLogged(PredictionMade prediction, String reason) {
        metrics.predictionNotLogged(prediction.model());
        LOG.warnf("prediction %s of model %s not logged: %s", prediction.predictionId(), prediction.model(), reason);
    }

    /** Hands the queued events to the Kafka client before the application stops. */
    @PreDestroy
    void drain() throws InterruptedException {
        sender.shutdown();
        if (!sender.awaitTermination(5, TimeUnit.SECONDS)) {
            LOG.warnf("%d predictions not handed to the broker at shutdown", sender.shutdownNow().size());
        }
    }
}
