package io.stagetune.registry.repository;

import io.stagetune.registry.Model;
import io.stagetune.registry.ModelVersion;
import io.stagetune.registry.api.VersionQuery;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@ApplicationScoped
public class VersionRepository {

    private final EntityManager em;

    public VersionRepository(EntityManager em) {
        this.em = em;
    }

    public Optional<ModelVersion> find(Model model, long version) {
        return em.createQuery("from ModelVersion v where v.model = :model and v.version = :version",
                        ModelVersion.class)
                .setParameter("model", model).setParameter("version", version).getResultStream().findFirst();
    }

    public Optional<ModelVersion> findByCheckpoint(String checkpoint) {
        return em.createQuery("from ModelVersion v join fetch v.model where v.checkpoint = :checkpoint",
                        ModelVersion.class)
                .setParameter("checkpoint", checkpoint).getResultStream().findFirst();
    }

    /** The next version number; the caller holds the model's lock. */
    public long nextNumber(Model model) {
        Long max = em.createQuery("select max(v.version) from ModelVersion v where v.model = :model", Long.class)
                .setParameter("model", model).getSingleResult();
        return max == null ? 1 : max + 1;
    }

    public long count(Model model) {
        return em.createQuery("select count(v) from ModelVersion v where v.model = :model", Long.class)
                .setParameter("model", model).getSingleResult();
    }

    public void persist(ModelVersion version) {
        em.persist(version);
        em.flush();
    }

    /** Versions matching every given filter, by model and version number. */
    public List<ModelVersion> search(VersionQuery query, int limit) {
        StringBuilder jpql = new StringBuilder("select v from ModelVersion v join fetch v.model m where 1 = 1");
        Map<String, Object> parameters = new LinkedHashMap<>();
        filter(jpql, parameters, "m.name", "model", query.model());
        filter(jpql, parameters, "v.runId", "runId", query.runId());
        filter(jpql, parameters, "v.stage", "stage", query.stage());
        filter(jpql, parameters, "v.datasetId", "datasetId", query.datasetId());
        filter(jpql, parameters, "v.datasetVersion", "datasetVersion", query.datasetVersion());
        filter(jpql, parameters, "v.checkpoint", "checkpoint", query.checkpoint());
        if (query.alias() != null) {
            jpql.append(" and exists (select a from Alias a where a.version = v and a.name = :alias)");
            parameters.put("alias", query.alias());
        }
        jpql.append(" order by m.name, v.version");
        TypedQuery<ModelVersion> typed = em.createQuery(jpql.toString(), ModelVersion.class).setMaxResults(limit);
        parameters.forEach(typed::setParameter);
        return typed.getResultList();
    }

    private static void filter(StringBuilder jpql, Map<String, Object> parameters, String path, String name,
                               Object value) {
        if (value != null) {
            jpql.append(" and ").append(path).append(" = :").append(name);
            parameters.put(name, value);
        }
    }
}
