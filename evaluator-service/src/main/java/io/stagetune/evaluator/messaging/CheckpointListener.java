package io.stagetune.evaluator.messaging;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.stagetune.common.events.CheckpointPublished;
import io.stagetune.common.events.EvaluationCompleted;
import io.stagetune.common.events.EventJson;
import io.stagetune.common.events.MalformedEventException;
import io.stagetune.common.runtime.Backoff;
import io.stagetune.common.runtime.EventSender;
import io.stagetune.common.storage.ObjectStoreException;
import io.stagetune.evaluator.config.EvaluatorConfig;
import io.stagetune.evaluator.metrics.EvaluatorMetrics;
import io.stagetune.evaluator.service.EvaluationService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * Consumes {@code training-checkpoints} (group {@code evaluator}), one at a time. Failures of the registry, the
 * store or the broker are retried with growing pauses for as long as they last, so an outage delays an evaluation
 * or promotion but never loses it (the offset is committed only when this method returns). A message that is not
 * a checkpoint event, that the registry refuses as invalid (4xx), or that fails otherwise (a checkpoint that
 * cannot be evaluated) goes to {@code training-checkpoints-dlq}.
 */
@ApplicationScoped
public class CheckpointListener {

    private static final Logger LOG = Logger.getLogger(CheckpointListener.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final EvaluationService service;
    private final Emitter<String> results;
    private final EvaluatorMetrics metrics;
    private final EvaluatorConfig config;

    public CheckpointListener(EvaluationService service, @Channel("evaluation-results") Emitter<String> results,
                              EvaluatorMetrics metrics, EvaluatorConfig config) {
        this.service = service;
        this.results = results;
        this.metrics = metrics;
        this.config = config;
    }

    @Incoming("training-checkpoints")
    @Blocking(value = "evaluation", ordered = true)
    public void onCheckpoint(String payload) throws InterruptedException {
        CheckpointPublished checkpoint;
        try {
            checkpoint = EventJson.read(payload, CheckpointPublished.class);
        } catch (MalformedEventException e) {
            metrics.failed("malformed");
            throw e;
        }
        Backoff backoff = new Backoff(config.retryBackoff(), config.maxRetryBackoff());
        while (true) {
            try {
                EvaluationCompleted completed = service.process(checkpoint);
                EventSender.send(results, completed, SEND_TIMEOUT);
                return;
            } catch (WebApplicationException e) {
                int status = e.getResponse().getStatus();
                if (status >= 400 && status < 500 && status != 409) {
                    metrics.failed("refused");
                    LOG.errorf("checkpoint %s refused by the registry (%d), to the dead-letter topic",
                            checkpoint.checkpoint(), status);
                    throw e;
                }
                retryLater(checkpoint, e, backoff);
            } catch (ProcessingException | ObjectStoreException | EventSender.EventNotSentException
                     | UncheckedIOException e) {
                // The registry, the store or the broker is unreachable: wait for it, however long it takes.
                retryLater(checkpoint, e, backoff);
            } catch (RuntimeException e) {
                metrics.failed("invalid");
                LOG.errorf(e, "checkpoint %s cannot be evaluated, to the dead-letter topic", checkpoint.checkpoint());
                throw e;
            }
        }
    }

    private void retryLater(CheckpointPublished checkpoint, RuntimeException failure, Backoff backoff)
            throws InterruptedException {
        metrics.failed("retried");
        Duration pause = backoff.next();
        LOG.warnf("checkpoint %s of run %s: %s; retrying in %d ms", checkpoint.checkpoint(), checkpoint.runId(),
                failure.getMessage(), pause.toMillis());
        Thread.sleep(pause.toMillis());
    }
}
