package io.stagetune.registry.repository;

import io.stagetune.common.events.Stage;
import io.stagetune.registry.StageLease;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.util.Optional;

@ApplicationScoped
public class StageLeaseRepository {

    private final EntityManager em;

    public StageLeaseRepository(EntityManager em) {
        this.em = em;
    }

    public Optional<StageLease> find(String runId, Stage stage) {
        return em.createQuery("from StageLease l where l.runId = :runId and l.stage = :stage", StageLease.class)
                .setParameter("runId", runId).setParameter("stage", stage).getResultStream().findFirst();
    }

    public void persist(StageLease lease) {
        em.persist(lease);
        em.flush();
    }
}
