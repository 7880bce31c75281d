package io.stagetune.persistence.outbox;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Instant;

/** Deletes events sent longer ago than the retention; pending events are never deleted. */
@ApplicationScoped
public class OutboxCleaner {

    private final EntityManager em;
    private final OutboxConfig config;

    public OutboxCleaner(EntityManager em, OutboxConfig config) {
        this.em = em;
        this.config = config;
    }

    @Scheduled(every = "1h", delayed = "1m", skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        purgeSent();
    }

    /** @return how many sent events were deleted */
    @Transactional
    public int purgeSent() {
        return em.createQuery("delete from OutboxEvent e where e.sentAt is not null and e.sentAt < :before")
                .setParameter("before", Instant.now().minus(config.retention())).executeUpdate();
    }
}
