package io.stagetune.registry.messaging;

import io.stagetune.common.events.PipelineEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;

/** The outbox table: events join the caller's transaction, the relay reads and marks them in its own. */
@ApplicationScoped
public class Outbox {

    private final EntityManager em;

    public Outbox(EntityManager em) {
        this.em = em;
    }

    /** Queues the event in the caller's transaction: it exists exactly when the change it announces does. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void add(PipelineEvent event, Instant at) {
        em.persist(new OutboxEvent(event, at));
    }

    /** Oldest pending first, so events of one model leave in the order they were written. */
    @Transactional
    public List<OutboxEvent> pending(int limit) {
        return em.createQuery("from OutboxEvent e where e.sentAt is null order by e.id", OutboxEvent.class)
                .setMaxResults(limit).getResultList();
    }

    @Transactional
    public long pendingCount() {
        return em.createQuery("select count(e) from OutboxEvent e where e.sentAt is null", Long.class)
                .getSingleResult();
    }

    @Transactional
    public void markSent(long id, Instant at) {
        em.find(OutboxEvent.class, id).sent(at);
    }

    @Transactional
    public void markFailed(long id, String error) {
        em.find(OutboxEvent.class, id).failed(error);
    }

    @Transactional
    public List<OutboxEvent> byKey(String key) {
        return em.createQuery("from OutboxEvent e where e.eventKey = :key order by e.id", OutboxEvent.class)
                .setParameter("key", key).getResultList();
    }
}
