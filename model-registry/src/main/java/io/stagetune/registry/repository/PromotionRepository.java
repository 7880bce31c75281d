package io.stagetune.registry.repository;

import io.stagetune.registry.Model;
import io.stagetune.registry.PromotionDecision;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class PromotionRepository {

    private final EntityManager em;

    public PromotionRepository(EntityManager em) {
        this.em = em;
    }

    public Optional<PromotionDecision> find(Model model, long id) {
        return em.createQuery("from PromotionDecision p where p.model = :model and p.id = :id",
                        PromotionDecision.class)
                .setParameter("model", model).setParameter("id", id).getResultStream().findFirst();
    }

    public Optional<PromotionDecision> findByKey(String key) {
        return em.createQuery("from PromotionDecision p where p.decisionKey = :key", PromotionDecision.class)
                .setParameter("key", key).getResultStream().findFirst();
    }

    /** Newest first, optionally only those about one candidate or with one outcome. */
    public List<PromotionDecision> list(Model model, Long candidateVersion, Boolean promoted, int limit) {
        return em.createQuery("from PromotionDecision p where p.model = :model "
                        + "and (:candidate is null or p.candidateVersion = :candidate) "
                        + "and (:promoted is null or p.promoted = :promoted) order by p.id desc",
                        PromotionDecision.class)
                .setParameter("model", model).setParameter("candidate", candidateVersion)
                .setParameter("promoted", promoted).setMaxResults(limit).getResultList();
    }

    public void persist(PromotionDecision decision) {
        em.persist(decision);
        em.flush();
    }
}
