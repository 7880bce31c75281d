package io.stagetune.registry.messaging;

import io.quarkus.scheduler.Scheduled;
import io.stagetune.common.runtime.EventSender;
import io.stagetune.registry.config.RegistryConfig;
import io.stagetune.registry.service.RegistryMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Sends pending outbox events, oldest first, and marks each sent once the broker acknowledged it. On the first
 * failure the round stops (later events of the same model must not overtake it) and the next round retries.
 * Delivery is at-least-once: an event whose acknowledgement was lost is sent again with the same event id.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final Emitter<String> emitter;
    private final Outbox outbox;
    private final RegistryConfig config;
    private final RegistryMetrics metrics;
    private final ReentrantLock relaying = new ReentrantLock();
    private volatile boolean failing;

    public OutboxRelay(@Channel("model-events") Emitter<String> emitter, Outbox outbox, RegistryConfig config,
                       RegistryMetrics metrics) {
        this.emitter = emitter;
        this.outbox = outbox;
        this.config = config;
        this.metrics = metrics;
    }

    @Scheduled(every = "${registry.outbox.relay-every:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        relayPending();
    }

    /** @return how many events this call sent; 0 when another relay round is running */
    public int relayPending() {
        if (!relaying.tryLock()) {
            return 0;
        }
        int sent = 0;
        try {
            List<OutboxEvent> batch;
            do {
                batch = outbox.pending(config.outbox().batchSize());
                for (OutboxEvent event : batch) {
                    if (!send(event)) {
                        return sent;
                    }
                    sent++;
                }
            } while (batch.size() == config.outbox().batchSize());
            return sent;
        } finally {
            metrics.outboxPending(outbox.pendingCount());
            relaying.unlock();
        }
    }

    private boolean send(OutboxEvent event) {
        try {
            EventSender.send(emitter, event.event(), config.outbox().sendTimeout());
        } catch (RuntimeException e) {
            outbox.markFailed(event.id(), e.getMessage());
            if (!failing) {
                LOG.warnf("model event %s %s not sent yet, will retry: %s", event.eventType(), event.eventId(),
                        e.getMessage());
                failing = true;
            }
            return false;
        }
        outbox.markSent(event.id(), Instant.now().truncatedTo(ChronoUnit.MICROS));
        if (failing) {
            LOG.infof("model events flow again (sent %s %s)", event.eventType(), event.eventId());
            failing = false;
        }
        return true;
    }
}
