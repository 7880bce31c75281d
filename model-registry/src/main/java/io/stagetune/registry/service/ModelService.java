package io.stagetune.registry.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.stagetune.registry.Alias;
import io.stagetune.registry.Model;
import io.stagetune.common.registry.ModelView;
import io.stagetune.registry.repository.AliasRepository;
import io.stagetune.registry.repository.ModelRepository;
import io.stagetune.registry.repository.VersionRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@ApplicationScoped
public class ModelService {

    private final ModelRepository models;
    private final VersionRepository versions;
    private final AliasRepository aliases;

    public ModelService(ModelRepository models, VersionRepository versions, AliasRepository aliases) {
        this.models = models;
        this.versions = versions;
        this.aliases = aliases;
    }

    /**
     * Creates the model if it does not exist, in a transaction of its own and before the caller's, so that two
     * first registrations racing for a new model both go on with the one row.
     */
    public void ensureExists(String name) {
        Checks.name("model", name);
        if (QuarkusTransaction.requiringNew().call(() -> models.find(name).isPresent())) {
            return;
        }
        try {
            QuarkusTransaction.requiringNew().run(() -> models.persist(new Model(name, Checks.now())));
        } catch (PersistenceException e) {
            // Someone else created it between our look and our insert; if not, this is a real failure.
            if (!QuarkusTransaction.requiringNew().call(() -> models.find(name).isPresent())) {
                throw e;
            }
        }
    }

    /** The model, or a 404 naming it. */
    public Model existing(String name) {
        return models.find(name).orElseThrow(() -> RegistryException.notFound("model '" + name + "' not found"));
    }

    /** The model locked for the rest of the transaction, or a 404 naming it. */
    public Model locked(String name) {
        return models.lock(name).orElseThrow(() -> RegistryException.notFound("model '" + name + "' not found"));
    }

    @Transactional
    public List<ModelView> list() {
        return models.list().stream().map(this::view).toList();
    }

    @Transactional
    public ModelView get(String name) {
        return view(existing(name));
    }

    private ModelView view(Model model) {
        Map<String, Long> current = new LinkedHashMap<>();
        for (Alias alias : aliases.list(model)) {
            current.put(alias.name(), alias.version().version());
        }
        long count = versions.count(model);
        return new ModelView(model.name(), model.createdAt(), count,
                count == 0 ? null : versions.nextNumber(model) - 1, current);
    }
}
