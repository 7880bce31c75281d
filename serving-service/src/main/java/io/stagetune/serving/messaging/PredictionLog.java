package io.stagetune.serving.messaging;

import io.stagetune.common.events.PredictionMade;
import io.stagetune.common.runtime.EventSender;
import io.stagetune.serving.service.ServingMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;

/**
 * Publishes every answered prediction on {@code predictions}, keyed by model. The answer does not wait for the
 * broker: a prediction stays available while the broker is down, and a send the broker never acknowledges is
 * counted ({@code serving.prediction.log.failures}) and logged.
 */
@ApplicationScoped
public class PredictionLog {

    private static final Logger LOG = Logger.getLogger(PredictionLog.class);

    private final Emitter<String> predictions;
    private final ServingMetrics metrics;

    public PredictionLog(@Channel("predictions") Emitter<String> predictions, ServingMetrics metrics) {
        this.predictions = predictions;
        this.metrics = metrics;
    }

    public void publish(PredictionMade prediction) {
        EventSender.sendAsync(predictions, prediction).whenComplete((sent, failure) -> {
            if (failure != null) {
                metrics.predictionNotLogged(prediction.model());
                LOG.warnf("prediction %s of model %s not logged: %s", prediction.predictionId(), prediction.model(),
                        failure.getMessage());
            }
        });
    }
}
