package io.stagetune.persistence.outbox;

import io.stagetune.common.events.PipelineEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
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

    /**
     * Locks the oldest pending event for the rest of the caller's transaction, without waiting: the relay that holds
     * it is the only one sending, so events leave once and in order whatever the number of replicas.
     *
     * @return false when another relay holds it, or when nothing is pending
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean lockHead() {
        try {
            return !em.createNativeQuery("select id from outbox_event where sent_at is null order by id "
                    + "fetch first 1 rows only for update nowait").getResultList().isEmpty();
        } catch (PersistenceException lockedByAnotherRelay) {
            return false;
        }
    }

    /** Oldest pending first, so events of one key leave in the order they were written. */
    @Transactional(Transactional.TxType.MANDATORY)
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
    public List<OutboxEvent> byKey(String key) {
        return em.createQuery("from OutboxEvent e where e.eventKey = :key order by e.id", OutboxEvent.class)
                .setParameter("key", key).getResultList();
    }
}
