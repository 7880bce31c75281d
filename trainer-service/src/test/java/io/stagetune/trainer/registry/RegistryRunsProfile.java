package io.stagetune.trainer.registry;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;
import java.util.Map;

/**
 * Two models on dataset {@code quick}, each a one-stage plan that trains in seconds: {@code quick} from a backbone
 * in the store, {@code tuned} from the backbone of whatever {@code quick-base@production} is in the registry; and
 * {@code warm}, on dataset {@code quickwarm}, from its own production version once it has one (a LAYER4 plan then).
 * Registry retries are short, so an outage test does not wait long after the registry is back.
 */
public class RegistryRunsProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new java.util.HashMap<>(Map.of(
                "trainer.models.quick.dataset", "quick",
                "trainer.models.quick.base-backbone", "s3://checkpoints/_backbones/resnet-tiny.pt",
                "trainer.models.quick.plan", "HEAD",
                "trainer.models.tuned.dataset", "quick",
                "trainer.models.tuned.base-backbone", "models:/quick-base@production",
                "trainer.models.tuned.plan", "HEAD",
                "trainer.registry.retry-backoff", "200ms",
                "trainer.registry.max-retry-backoff", "1s"));
        config.putAll(Map.of(
                "trainer.models.warm.dataset", "quickwarm",
                "trainer.models.warm.base-backbone", "s3://checkpoints/_backbones/resnet-tiny.pt",
                "trainer.models.warm.plan", "HEAD",
                "trainer.models.warm.from", "production",
                "trainer.models.warm.warm-plan", "LAYER4"));
        for (String model : List.of("quick", "tuned", "warm")) {
            String prefix = "trainer.models." + model + ".hyperparameters.";
            config.putAll(Map.of(prefix + "maxEpochs", "2", prefix + "patience", "2",
                    prefix + "headLearningRate", "0.02", prefix + "\"preprocessing.resize\"", "28",
                    prefix + "\"preprocessing.crop\"", "28", prefix + "\"preprocessing.minCropScale\"", "0.5"));
        }
        return config;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(TrainerRegistryTestResource.class));
    }
}
