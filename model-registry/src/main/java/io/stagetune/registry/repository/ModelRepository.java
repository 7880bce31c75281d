package io.stagetune.registry.repository;

import io.stagetune.registry.Model;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class ModelRepository {

    private final EntityManager em;

    public ModelRepository(EntityManager em) {
        this.em = em;
    }

    public Optional<Model> find(String name) {
        return em.createQuery("from Model m where m.name = :name", Model.class)
                .setParameter("name", name).getResultStream().findFirst();
    }

    /**
     * The model row locked for update until the transaction ends: every change that numbers versions or moves
     * aliases of one model takes this lock first, so such changes are serialised and none is lost.
     */
    public Optional<Model> lock(String name) {
        return em.createQuery("from Model m where m.name = :name", Model.class)
                .setParameter("name", name).setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultStream().findFirst();
    }

    public List<Model> list() {
        return em.createQuery("from Model m order by m.name", Model.class).getResultList();
    }

    public void persist(Model model) {
        em.persist(model);
        em.flush();
    }
}
