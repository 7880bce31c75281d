package io.stagetune.registry.repository;

import io.stagetune.registry.Model;
import io.stagetune.registry.Run;
import io.stagetune.common.registry.RunStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class RunRepository {

    private final EntityManager em;

    public RunRepository(EntityManager em) {
        this.em = em;
    }

    public Optional<Run> find(String runId) {
        return em.createQuery("from Run r join fetch r.model where r.id = :id", Run.class)
                .setParameter("id", runId).getResultStream().findFirst();
    }

    /** Locked, so that concurrent stage updates of one run merge instead of overwriting each other. */
    public Optional<Run> lock(String runId) {
        return Optional.ofNullable(em.find(Run.class, runId, LockModeType.PESSIMISTIC_WRITE));
    }

    public Optional<Run> findFor(Model model, String datasetId, int datasetVersion) {
        return em.createQuery("from Run r where r.model = :model and r.datasetId = :datasetId "
                        + "and r.datasetVersion = :datasetVersion", Run.class)
                .setParameter("model", model).setParameter("datasetId", datasetId)
                .setParameter("datasetVersion", datasetVersion).getResultStream().findFirst();
    }

    public List<Run> list(String model, RunStatus status, int limit) {
        return em.createQuery("from Run r join fetch r.model m where (:model is null or m.name = :model) "
                        + "and (:status is null or r.status = :status) order by r.createdAt, r.id", Run.class)
                .setParameter("model", model).setParameter("status", status)
                .setMaxResults(limit).getResultList();
    }

    public void persist(Run run) {
        em.persist(run);
        em.flush();
    }
}
