package io.stagetune.trainer.planner;

import io.stagetune.common.checkpoint.CheckpointManifest;
import io.stagetune.common.registry.VersionView;
import io.stagetune.common.storage.ObjectUri;
import io.stagetune.trainer.config.TrainerConfig;
import io.stagetune.trainer.registry.TrainerRegistry;
import io.stagetune.trainer.run.RunStores;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.HashMap;
import java.util.Map;

/**
 * Resolves the configured base backbones when a run is planned. Every model's setting is checked at start-up, so a
 * malformed value, or a registry reference without a configured registry, stops the trainer with the reason.
 */
@ApplicationScoped
@Startup
public class BaseBackbones {

    private static final Logger LOG = Logger.getLogger(BaseBackbones.class);

    private final TrainerRegistry registry;
    private final Map<String, BaseBackbone> configured = new HashMap<>();

    public BaseBackbones(TrainerConfig config, TrainerRegistry registry) {
        this.registry = registry;
        boolean withRegistry = RunStores.usesRegistry(config);
        config.models().forEach((model, modelConfig) -> {
            BaseBackbone base = BaseBackbone.parse(model, modelConfig.baseBackbone());
            if (base.isReference() && !withRegistry) {
                throw new IllegalArgumentException("trainer.models." + model + ".base-backbone=" + base.configured()
                        + " is a registry reference, but no registry is configured (trainer.registry.url, "
                        + "REGISTRY_URL)");
            }
            configured.put(model, base);
        });
    }

    /**
     * The object URI of the model's base backbone now: the configured URI, or the backbone of the checkpoint the
     * referenced alias points at.
     *
     * @throws UnresolvableBaseException when the registry has no such model or alias
     * @throws io.stagetune.trainer.registry.RegistryUnavailableException when the registry cannot answer now
     */
    public String resolve(String model) {
        BaseBackbone base = configured.get(model);
        if (base == null) {
            throw new IllegalArgumentException("model '" + model + "' is not configured (trainer.models." + model
                    + ".*)");
        }
        if (!base.isReference()) {
            return base.uri();
        }
        VersionView version = registry.aliasVersion(base.model(), base.alias()).orElseThrow(() ->
                new UnresolvableBaseException("base backbone " + base.configured() + " of model '" + model
                        + "' cannot be resolved: the registry has no model '" + base.model() + "' with alias '"
                        + base.alias() + "'"));
        String backbone = ObjectUri.parse(version.checkpoint()).resolve(CheckpointManifest.BACKBONE_FILE).toString();
        LOG.infof("base backbone %s of model %s is version %d: %s", base.configured(), model, version.version(),
                backbone);
        return backbone;
    }
}
