package io.stagetune.serving.messaging;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stagetune.common.events.PipelineEvent;
import io.stagetune.common.events.PredictionMade;
import io.stagetune.serving.service.ServingMetrics;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The prediction log queues events for its sender thread: a request never waits for the Kafka client. */
class PredictionLogTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    @Timeout(60) // a request thread that sent its own event would block on the busy client here for good
    void requestsQueueTheirEventsWhileTheClientIsBusyAndOnlyThoseBeyondTheQueueAreCountedNotLogged() throws Exception {
        BlockingEmitter emitter = new BlockingEmitter();
        PredictionLog log = new PredictionLog(emitter, new ServingMetrics(registry));
        try {
            // The first event reaches the client, which blocks; the next ones wait in the queue, and publish()
            // returns for each of them (it would block here if the request thread sent them itself).
            for (int i = 0; i < PredictionLog.MAX_PENDING + 2; i++) {
                log.publish(prediction());
            }
            assertThat(notLogged()).as("the one event beyond the queue").isEqualTo(1);

            emitter.release.countDown();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> emitter.acknowledged.get() == PredictionLog.MAX_PENDING + 1);
            assertThat(notLogged()).isEqualTo(1);
        } finally {
            emitter.release.countDown();
            log.drain();
        }
    }

    @Test
    void anEventTheBrokerDoesNotAcknowledgeIsCounted() throws Exception {
        BlockingEmitter emitter = new BlockingEmitter();
        emitter.release.countDown();
        emitter.refuse = true;
        PredictionLog log = new PredictionLog(emitter, new ServingMetrics(registry));
        log.publish(prediction());
        await().atMost(Duration.ofSeconds(30)).until(() -> notLogged() == 1);
        log.drain();
    }

    private double notLogged() {
        var counter = registry.find("serving.prediction.log.failures").tag("model", "fashion").counter();
        return counter == null ? 0 : counter.count();
    }

    private static PredictionMade prediction() {
        return new PredictionMade(PipelineEvent.newId(), PipelineEvent.SCHEMA_VERSION, PipelineEvent.now(),
                UUID.randomUUID(), "fashion", 1, "production", List.of(new PredictionMade.ImagePrediction("ab",
                List.of(new PredictionMade.LabelProbability("bag", 0.9)), false)), 1.0);
    }

    /** A Kafka client stand-in: sending blocks until released, then acknowledges (or refuses) each message. */
    private static final class BlockingEmitter implements Emitter<String> {
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger acknowledged = new AtomicInteger();
        volatile boolean refuse;

        @Override
        public <M extends Message<? extends String>> void send(M message) {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (refuse) {
                message.nack(new IllegalStateException("broker down"));
            } else {
                message.ack();
                acknowledged.incrementAndGet();
            }
        }

        @Override
        public CompletionStage<Void> send(String payload) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void complete() {
        }

        @Override
        public void error(Exception e) {
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean hasRequests() {
            return true;
        }
    }
}
