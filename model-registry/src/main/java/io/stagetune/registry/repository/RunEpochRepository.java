package io.stagetune.registry.repository;

import io.stagetune.common.events.Stage;
import io.stagetune.registry.RunEpoch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class RunEpochRepository {

    private final EntityManager em;

    public RunEpochRepository(EntityManager em) {
        this.em = em;
    }

    public Optional<RunEpoch> find(String runId, Stage stage, int epoch) {
        return em.createQuery("from RunEpoch e where e.runId = :run and e.stage = :stage and e.epoch = :epoch",
                        RunEpoch.class)
                .setParameter("run", runId).setParameter("stage", stage).setParameter("epoch", epoch)
                .getResultStream().findFirst();
    }

    /** The run's epochs in the order they were trained: by stage report time, then epoch number. */
    public List<RunEpoch> list(String runId) {
        return em.createQuery("from RunEpoch e where e.runId = :run order by e.occurredAt, e.epoch", RunEpoch.class)
                .setParameter("run", runId).getResultList();
    }

    public void persist(RunEpoch epoch) {
        em.persist(epoch);
        em.flush();
    }
}
