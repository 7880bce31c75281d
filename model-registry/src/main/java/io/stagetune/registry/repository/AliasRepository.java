package io.stagetune.registry.repository;

import io.stagetune.registry.Alias;
import io.stagetune.registry.AliasMove;
import io.stagetune.registry.Model;
import io.stagetune.registry.ModelVersion;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class AliasRepository {

    private final EntityManager em;

    public AliasRepository(EntityManager em) {
        this.em = em;
    }

    public Optional<Alias> find(Model model, String name) {
        return em.createQuery("from Alias a join fetch a.version where a.model = :model and a.name = :name",
                        Alias.class)
                .setParameter("model", model).setParameter("name", name).getResultStream().findFirst();
    }

    public List<Alias> list(Model model) {
        return em.createQuery("from Alias a join fetch a.version where a.model = :model order by a.name",
                Alias.class).setParameter("model", model).getResultList();
    }

    /** The aliases that point at any of the versions now. */
    public List<Alias> pointingAt(Collection<ModelVersion> versions) {
        if (versions.isEmpty()) {
            return List.of();
        }
        return em.createQuery("from Alias a join fetch a.version where a.version in :versions order by a.name",
                Alias.class).setParameter("versions", versions).getResultList();
    }

    public void persist(Alias alias) {
        em.persist(alias);
    }

    public void record(AliasMove move) {
        em.persist(move);
        em.flush();
    }

    /** Every move of the alias, oldest first. */
    public List<AliasMove> history(Model model, String alias) {
        return em.createQuery("from AliasMove h where h.model = :model and h.alias = :alias order by h.id",
                        AliasMove.class)
                .setParameter("model", model).setParameter("alias", alias).getResultList();
    }

    /** The move in effect at the time: the last one made at or before it. */
    public Optional<AliasMove> moveInEffect(Model model, String alias, Instant at) {
        return em.createQuery("from AliasMove h where h.model = :model and h.alias = :alias and h.movedAt <= :at "
                        + "order by h.movedAt desc, h.id desc", AliasMove.class)
                .setParameter("model", model).setParameter("alias", alias).setParameter("at", at)
                .setMaxResults(1).getResultStream().findFirst();
    }

    public Optional<AliasMove> lastMove(Model model, String alias) {
        return em.createQuery("from AliasMove h where h.model = :model and h.alias = :alias order by h.id desc",
                        AliasMove.class)
                .setParameter("model", model).setParameter("alias", alias)
                .setMaxResults(1).getResultStream().findFirst();
    }
}
