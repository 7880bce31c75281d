package io.stagetune.trainer.worker;

import io.quarkus.runtime.ShutdownEvent;
import io.stagetune.trainer.config.TrainerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The worker's graceful stop (SIGTERM: a scale-in, a node drain). When the application shuts down, this says so to
 * the worker and holds the shutdown, with the Kafka consumer still in its group, until the command in flight has
 * stopped (at its next epoch boundary: epoch checkpoint durable and recorded, lease released, command left
 * uncommitted) or finished, for at most {@code trainer.worker.stop-timeout}; keep that below the pod's grace period.
 * A stage whose epoch does not end in time is cut off with the process: its lease expires and the next worker
 * resumes from the epoch checkpoint before.
 */
@ApplicationScoped
public class WorkerShutdown {

    private static final Logger LOG = Logger.getLogger(WorkerShutdown.class);

    private final Duration stopTimeout;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private int active;

    public WorkerShutdown(TrainerConfig config) {
        this.stopTimeout = config.worker().stopTimeout();
    }

    /** A command starts being handled; false when the worker is stopping and must leave it to the next one. */
    public synchronized boolean enter() {
        if (stopping()) {
            return false;
        }
        active++;
        return true;
    }

    public synchronized void exit() {
        active--;
        notifyAll();
    }

    public boolean stopping() {
        return stopping.getCount() == 0;
    }

    /** Waits for {@code duration}, or less when the worker starts stopping; true when it is stopping. */
    public boolean pause(Duration duration) throws InterruptedException {
        return stopping.await(duration.toMillis(), TimeUnit.MILLISECONDS);
    }

    void onShutdown(@Observes ShutdownEvent event) throws InterruptedException {
        stopping.countDown();
        long deadline = System.nanoTime() + stopTimeout.toNanos();
        synchronized (this) {
            if (active > 0) {
                LOG.infof("stopping: waiting up to %d s for the stage in flight to reach its next epoch boundary",
                        stopTimeout.toSeconds());
            }
            while (active > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.warnf("stopping: the stage in flight did not reach an epoch boundary within %d s; its lease "
                            + "expires and the next worker resumes from its last epoch checkpoint",
                            stopTimeout.toSeconds());
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }
}
