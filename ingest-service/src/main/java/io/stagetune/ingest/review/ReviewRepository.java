package io.stagetune.ingest.review;

import io.stagetune.ingest.ConsumerOffset;
import io.stagetune.ingest.ReviewItem;
import io.stagetune.ingest.ShadowAgreement;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.TypedQuery;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class ReviewRepository {

    private final EntityManager em;

    public ReviewRepository(EntityManager em) {
        this.em = em;
    }

    public Optional<ReviewItem> find(String model, String itemId) {
        return Optional.ofNullable(em.find(ReviewItem.class, new ReviewItem.Key(model, itemId)));
    }

    public Optional<ReviewItem> findForUpdate(String model, String itemId) {
        return Optional.ofNullable(em.find(ReviewItem.class, new ReviewItem.Key(model, itemId),
                LockModeType.PESSIMISTIC_WRITE));
    }

    public void add(ReviewItem item) {
        em.persist(item);
    }

    public boolean hasItems(String model) {
        return !em.createQuery("select 1 from ReviewItem i where i.model = :model", Integer.class)
                .setParameter("model", model).setMaxResults(1).getResultList().isEmpty();
    }

    public long openOf(String model, String predictedLabel) {
        return em.createQuery("select count(i) from ReviewItem i where i.model = :model and i.state = :state "
                        + "and i.reason = :reason and i.predictedLabel = :label", Long.class)
                .setParameter("model", model).setParameter("state", ReviewItem.State.OPEN)
                .setParameter("reason", ReviewItem.Reason.UNCERTAIN).setParameter("label", predictedLabel)
                .getSingleResult();
    }

    public long uncertainPicksBetween(String model, Instant from, Instant to) {
        return em.createQuery("select count(i) from ReviewItem i where i.model = :model and i.reason = :reason "
                        + "and i.predictedAt > :from and i.predictedAt <= :to", Long.class)
                .setParameter("model", model).setParameter("reason", ReviewItem.Reason.UNCERTAIN)
                .setParameter("from", from).setParameter("to", to).getSingleResult();
    }

    public long open(String model) {
        return em.createQuery("select count(i) from ReviewItem i where i.model = :model and i.state = :state",
                        Long.class)
                .setParameter("model", model).setParameter("state", ReviewItem.State.OPEN).getSingleResult();
    }

    /** The model's items, oldest prediction first, optionally of one predicted label, reason and state. */
    public List<ReviewItem> list(String model, String predictedLabel, ReviewItem.Reason reason,
                                 ReviewItem.State state, int limit) {
        StringBuilder jpql = new StringBuilder("from ReviewItem i where i.model = :model");
        if (predictedLabel != null) {
            jpql.append(" and i.predictedLabel = :label");
        }
        if (reason != null) {
            jpql.append(" and i.reason = :reason");
        }
        if (state != null) {
            jpql.append(" and i.state = :state");
        }
        jpql.append(" order by i.predictedAt, i.itemId");
        TypedQuery<ReviewItem> query = em.createQuery(jpql.toString(), ReviewItem.class)
                .setParameter("model", model);
        if (predictedLabel != null) {
            query.setParameter("label", predictedLabel);
        }
        if (reason != null) {
            query.setParameter("reason", reason);
        }
        if (state != null) {
            query.setParameter("state", state);
        }
        return query.setMaxResults(limit).getResultList();
    }

    /** The newest {@code window} audit labels of a version, newest first. */
    public List<ReviewItem> auditLabels(String model, long version, int window) {
        return em.createQuery("from ReviewItem i where i.model = :model and i.modelVersion = :version "
                        + "and i.reason = :reason and i.state = :state order by i.labelledAt desc, i.itemId",
                        ReviewItem.class)
                .setParameter("model", model).setParameter("version", version)
                .setParameter("reason", ReviewItem.Reason.AUDIT).setParameter("state", ReviewItem.State.LABELLED)
                .setMaxResults(window).getResultList();
    }

    /** The version of the model's newest audit label: the version production served last. */
    public Optional<Long> newestAuditedVersion(String model) {
        return em.createQuery("select i.modelVersion from ReviewItem i where i.model = :model "
                        + "and i.reason = :reason and i.state = :state order by i.labelledAt desc", Long.class)
                .setParameter("model", model).setParameter("reason", ReviewItem.Reason.AUDIT)
                .setParameter("state", ReviewItem.State.LABELLED).setMaxResults(1).getResultStream().findFirst();
    }

    /** Models with at least one audit label. */
    public List<String> auditedModels() {
        return em.createQuery("select distinct i.model from ReviewItem i where i.reason = :reason "
                        + "and i.state = :state", String.class)
                .setParameter("reason", ReviewItem.Reason.AUDIT).setParameter("state", ReviewItem.State.LABELLED)
                .getResultList();
    }

    public ShadowAgreement agreement(String model, long version, long shadowVersion, String label) {
        ShadowAgreement row = em.find(ShadowAgreement.class,
                new ShadowAgreement.Key(model, version, shadowVersion, label));
        if (row == null) {
            row = new ShadowAgreement(model, version, shadowVersion, label);
            em.persist(row);
        }
        return row;
    }

    /** Agreement rows of the newest shadow version that ran beside this production version. */
    public List<ShadowAgreement> agreements(String model, long version) {
        List<Long> newest = em.createQuery("select max(a.shadowVersion) from ShadowAgreement a "
                        + "where a.model = :model and a.modelVersion = :version", Long.class)
                .setParameter("model", model).setParameter("version", version).getResultList();
        if (newest.isEmpty() || newest.get(0) == null) {
            return List.of();
        }
        return em.createQuery("from ShadowAgreement a where a.model = :model and a.modelVersion = :version "
                        + "and a.shadowVersion = :shadow order by a.label", ShadowAgreement.class)
                .setParameter("model", model).setParameter("version", version).setParameter("shadow", newest.get(0))
                .getResultList();
    }

    public Optional<ConsumerOffset> offsetForUpdate(String consumer, String topicPartition) {
        return Optional.ofNullable(em.find(ConsumerOffset.class, new ConsumerOffset.Key(consumer, topicPartition),
                LockModeType.PESSIMISTIC_WRITE));
    }

    public void addOffset(ConsumerOffset offset) {
        em.persist(offset);
    }
}
