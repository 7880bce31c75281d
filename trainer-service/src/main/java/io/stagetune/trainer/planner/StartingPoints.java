package io.stagetune.trainer.planner;

import io.stagetune.common.checkpoint.WarmStart;
import io.stagetune.common.events.Stage;
import io.stagetune.common.registry.VersionView;
import io.stagetune.trainer.config.TrainerConfig;
import io.stagetune.trainer.config.TrainerConfig.StartFrom;
import io.stagetune.trainer.registry.TrainerRegistry;
import io.stagetune.trainer.run.RunStores;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides where a run starts when it is planned. A model configured with {@code from=production} starts from the
 * version its {@code production} alias points at then (a warm start): the run gets the model's warm plan and its
 * learning rates times the warm factor. While the model has no production version (its first run), it starts from
 * its base backbone with the ordinary plan and rates, and says so in the log. What is resolved here is recorded in
 * the run and carried by its commands, never looked up again. Checked at start-up: a warm start needs the registry.
 */
@ApplicationScoped
@Startup
public class StartingPoints {

    static final String PRODUCTION = "production";
    static final String LEARNING_RATE_FACTOR = "learningRateFactor";

    private static final Logger LOG = Logger.getLogger(StartingPoints.class);

    private final TrainerRegistry registry;
    private final BaseBackbones bases;

    public StartingPoints(TrainerConfig config, TrainerRegistry registry, BaseBackbones bases) {
        this.registry = registry;
        this.bases = bases;
        boolean withRegistry = RunStores.usesRegistry(config);
        config.models().forEach((model, modelConfig) -> {
            if (modelConfig.from() == StartFrom.PRODUCTION && !withRegistry) {
                throw new IllegalArgumentException("trainer.models." + model + ".from=production needs the model "
                        + "registry, which knows the production version, but none is configured (trainer.registry.url, "
                        + "REGISTRY_URL)");
            }
        });
    }

    /**
     * Where a run of {@code model} starts now.
     *
     * @param plan            the run's stages
     * @param baseBackbone    the base backbone of the model's lineage: the configured one, resolved; for a warm start
     *                        the one production's lineage started from (the configured one if production has none)
     * @param hyperparameters the model's overrides, with a warm start's {@code learningRateFactor}
     * @param warmStart       the production version the run starts from, or null
     */
    public record Start(List<Stage> plan, String baseBackbone, Map<String, String> hyperparameters,
                        WarmStart warmStart) {
    }

    /**
     * @throws UnresolvableBaseException when the run starts from a {@code models:/} base backbone that does not resolve
     * @throws io.stagetune.trainer.registry.RegistryUnavailableException when the registry cannot answer now
     */
    public Start resolve(String model, TrainerConfig.ModelConfig modelConfig) {
        if (modelConfig.from() == StartFrom.PRODUCTION) {
            var production = registry.aliasVersion(model, PRODUCTION);
            if (production.isPresent()) {
                return warm(model, modelConfig, production.get());
            }
            LOG.infof("model %s has no production version yet: its run starts from the base backbone", model);
        }
        return new Start(modelConfig.plan(), bases.resolve(model), modelConfig.hyperparameters(), null);
    }

    private Start warm(String model, TrainerConfig.ModelConfig modelConfig, VersionView production) {
        Map<String, String> hyperparameters = new HashMap<>(modelConfig.hyperparameters());
        hyperparameters.putIfAbsent(LEARNING_RATE_FACTOR, Float.toString(modelConfig.warmLearningRateFactor()));
        String base = production.baseBackbone() != null ? production.baseBackbone() : bases.resolve(model);
        List<Stage> plan = modelConfig.warmPlan().orElse(modelConfig.plan());
        LOG.infof("model %s starts from its production version %d (%s): plan %s, learning rates x%s", model,
                production.version(), production.checkpoint(), plan, hyperparameters.get(LEARNING_RATE_FACTOR));
        return new Start(plan, base, hyperparameters, new WarmStart(production.version(), production.checkpoint()));
    }
}
