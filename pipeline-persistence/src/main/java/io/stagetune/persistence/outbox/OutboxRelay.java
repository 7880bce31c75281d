package io.stagetune.persistence.outbox;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.stagetune.common.runtime.EventSender;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Sends pending outbox events on the {@code outbox} channel, oldest first, and marks each sent once the broker
 * acknowledged it. A round runs in one transaction that holds the oldest pending event's row lock, so with any
 * number of replicas one relay sends at a time: events leave in the order they were written, and a second copy of
 * an event leaves only when an acknowledgement was lost (at-least-once, with the same event id). On the first failure
 * a round stops (later events of the same key must not overtake it) and a later round retries.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final Emitter<String> emitter;
    private final Outbox outbox;
    private final OutboxConfig config;
    private final Instance<BeforeSend> hooks;
    private final ReentrantLock relaying = new ReentrantLock();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicBoolean wakeQueued = new AtomicBoolean();
    private final ExecutorService waker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "outbox-relay");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean failing;

    public OutboxRelay(@Channel("outbox") Emitter<String> emitter, Outbox outbox, OutboxConfig config,
                       Instance<BeforeSend> hooks, MeterRegistry meters) {
        this.emitter = emitter;
        this.outbox = outbox;
        this.config = config;
        this.hooks = hooks;
        meters.gauge(config.pendingMetric(), pending);
    }

    @PreDestroy
    void stop() {
        waker.shutdown();
    }

    @Scheduled(every = "${pipeline.outbox.relay-every:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        relayPending();
    }

    /** Relays on the relay's own thread, so a caller that just committed does not wait for the broker. */
    public void wake() {
        if (wakeQueued.compareAndSet(false, true)) {
            waker.execute(() -> {
                wakeQueued.set(false);
                relayPending();
            });
        }
    }

    /** @return how many events this call sent; 0 when another round, here or in another replica, is sending */
    public int relayPending() {
        if (!relaying.tryLock()) {
            return 0;
        }
        int sent = 0;
        try {
            Round round;
            do {
                // Another round follows one that sent: events committed meanwhile (here or elsewhere) go at once.
                round = QuarkusTransaction.requiringNew().call(this::round);
                sent += round.sent();
            } while (round.sent() > 0 && !round.failed());
            return sent;
        } catch (RuntimeException e) {
            LOG.warnf("outbox relay round failed, will retry: %s", e.getMessage());
            return sent;
        } finally {
            pending.set(outbox.pendingCount());
            relaying.unlock();
        }
    }

    private Round round() {
        if (!outbox.lockHead()) {
            return new Round(0, false);
        }
        int sent = 0;
        for (OutboxEvent event : outbox.pending(config.batchSize())) {
            if (!send(event)) {
                return new Round(sent, true);
            }
            sent++;
        }
        return new Round(sent, false);
    }

    private record Round(int sent, boolean failed) {
    }

    private boolean send(OutboxEvent event) {
        try {
            hooks.forEach(hook -> hook.prepare(event.event()));
        } catch (RuntimeException e) {
            // Not the broker: what the event names could not be prepared; said every time, it needs attention.
            event.failed(e.getMessage());
            LOG.warnf(e, "%s %s not sent: preparing it failed, will retry", event.eventType(), event.eventId());
            return false;
        }
        try {
            EventSender.send(emitter, event.event(), config.sendTimeout());
        } catch (RuntimeException e) {
            event.failed(e.getMessage());
            if (!failing) {
                LOG.warnf("%s %s not sent yet, will retry: %s", event.eventType(), event.eventId(), e.getMessage());
                failing = true;
            }
            return false;
        }
        event.sent(Instant.now().truncatedTo(ChronoUnit.MICROS));
        if (failing) {
            LOG.infof("outbox events flow again (sent %s %s)", event.eventType(), event.eventId());
            failing = false;
        }
        return true;
    }
}
