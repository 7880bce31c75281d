package io.stagetune.localstack.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.stagetune.common.Topics;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Renders the Kustomize base and every overlay with {@code kubectl kustomize} and validates the result: built-in
 * kinds against fabric8's Kubernetes model (any field the schema does not know fails), the two custom resources
 * (KEDA ScaledObject, ServiceMonitor) structurally, and the project's own rules: probes, resources, scrape
 * annotations, references to ConfigMaps and Secrets that exist, and trainers capped at the command partitions.
 */
class KubernetesManifestsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> CUSTOM_KINDS = Set.of("keda.sh/v1alpha1/ScaledObject",
            "monitoring.coreos.com/v1/ServiceMonitor");
    private static final String SECRET = "stagetune-secrets";

    /** All the overlays under deploy/overlays must be listed here, so a new one is not left unchecked. */
    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev", "overlays/gpu"})
    void rendersValidManifests(String kustomization) throws IOException {
        DeployTools.assumeInstalled("kubectl");
        assertThat(overlays()).containsExactlyInAnyOrder("dev", "gpu");
        List<JsonNode> documents = render(kustomization);
        List<HasMetadata> builtIn = new ArrayList<>();
        List<JsonNode> custom = new ArrayList<>();
        for (JsonNode document : documents) {
            String type = document.path("apiVersion").asText() + "/" + document.path("kind").asText();
            if (CUSTOM_KINDS.contains(type)) {
                custom.add(document);
                continue;
            }
            KubernetesResource resource = JSON.treeToValue(document, KubernetesResource.class);
            assertThat(resource).as("a Kubernetes kind fabric8 knows: %s", type).isInstanceOf(HasMetadata.class)
                    .isNotInstanceOf(io.fabric8.kubernetes.api.model.GenericKubernetesResource.class);
            List<String> unknown = new ArrayList<>();
            unknownFields(resource, type + " " + document.path("metadata").path("name").asText(), unknown);
            assertThat(unknown).as("fields the Kubernetes schema does not have").isEmpty();
            builtIn.add((HasMetadata) resource);
        }
        assertThat(builtIn).as("no Secret is committed").noneMatch(r -> r.getKind().equals("Secret"));

        Map<String, ConfigMap> configMaps = ofKind(builtIn, ConfigMap.class).stream()
                .collect(Collectors.toMap(c -> c.getMetadata().getName(), c -> c));
        Set<String> secretKeys = secretKeys();
        List<Deployment> deployments = ofKind(builtIn, Deployment.class);
        assertThat(deployments).extracting(d -> d.getMetadata().getName())
                .containsExactlyInAnyOrder("ingest-service", "trainer-service", "evaluator-service", "model-registry",
                        "serving-service");
        for (Deployment deployment : deployments) {
            checkDeployment(deployment, configMaps, secretKeys);
        }
        for (Service service : ofKind(builtIn, Service.class)) {
            assertThat(deployments).as("a Deployment behind Service %s", service.getMetadata().getName())
                    .anySatisfy(d -> assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
                            .containsAllEntriesOf(service.getSpec().getSelector()));
        }
        assertThat(ofKind(builtIn, PodDisruptionBudget.class)).singleElement().satisfies(pdb ->
                assertThat(pdb.getSpec().getSelector().getMatchLabels())
                        .containsEntry("app.kubernetes.io/name", "trainer-service"));
        assertThat(ofKind(builtIn, HorizontalPodAutoscaler.class)).singleElement().satisfies(hpa -> {
            assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("serving-service");
            assertThat(hpa.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2);
        });
        checkScaledObject(kustomization, custom, configMaps);
        checkTrainerUsesTheRegistry(trainer(deployments), configMaps);
        checkTrainerStopsWithinItsGracePeriod(deployments);
        if (kustomization.endsWith("gpu")) {
            checkGpuTrainer(trainer(deployments));
            assertThat(custom).anyMatch(d -> d.path("kind").asText().equals("ServiceMonitor"));
            assertThat(configMaps.keySet()).anyMatch(name -> name.startsWith("stagetune-dashboards"));
        } else {
            assertThat(trainer(deployments).getResources().getLimits()).doesNotContainKey("nvidia.com/gpu");
        }
    }

    private static void checkDeployment(Deployment deployment, Map<String, ConfigMap> configMaps,
                                        Set<String> secretKeys) {
        String name = deployment.getMetadata().getName();
        var pod = deployment.getSpec().getTemplate();
        Container container = pod.getSpec().getContainers().get(0);
        assertThat(container.getImage()).as("image of %s", name).startsWith("stagetune/" + name + ":");
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).as(name).isEqualTo("/q/health/live");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).as(name).isEqualTo("/q/health/ready");
        assertThat(container.getResources().getRequests()).as("requests of %s", name).containsKeys("cpu", "memory");
        assertThat(container.getResources().getLimits()).as("limits of %s", name).containsKey("memory");
        int port = container.getPorts().get(0).getContainerPort();
        assertThat(pod.getMetadata().getAnnotations()).as("scrape annotations of %s", name)
                .containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/port", Integer.toString(port))
                .containsEntry("prometheus.io/path", "/q/metrics");
        for (EnvFromSource source : container.getEnvFrom()) {
            assertThat(configMaps).as("ConfigMap used by %s", name).containsKey(source.getConfigMapRef().getName());
        }
        for (EnvVar env : container.getEnv()) {
            var from = env.getValueFrom();
            if (from != null && from.getSecretKeyRef() != null) {
                assertThat(from.getSecretKeyRef().getName()).isEqualTo(SECRET);
                assertThat(secretKeys).as("key of %s in deploy/secrets.env.example", SECRET)
                        .contains(from.getSecretKeyRef().getKey());
            }
            if (from != null && from.getConfigMapKeyRef() != null) {
                assertThat(configMaps.get(from.getConfigMapKeyRef().getName()).getData())
                        .containsKey(from.getConfigMapKeyRef().getKey());
            }
        }
        pod.getSpec().getVolumes().stream().filter(v -> v.getConfigMap() != null)
                .forEach(v -> assertThat(configMaps).containsKey(v.getConfigMap().getName()));
    }

    private static void checkScaledObject(String kustomization, List<JsonNode> custom,
                                          Map<String, ConfigMap> configMaps) {
        JsonNode scaled = custom.stream().filter(d -> d.path("kind").asText().equals("ScaledObject")).findFirst()
                .orElseThrow(() -> new AssertionError("no KEDA ScaledObject for the trainers"));
        JsonNode spec = scaled.path("spec");
        assertThat(spec.path("scaleTargetRef").path("name").asText()).isEqualTo("trainer-service");
        int partitions = Topics.partitions().get(Topics.TRAINING_COMMANDS);
        int max = spec.path("maxReplicaCount").asInt();
        assertThat(max).as("maxReplicaCount within the partitions of %s", Topics.TRAINING_COMMANDS)
                .isBetween(spec.path("minReplicaCount").asInt(), partitions);
        if (!kustomization.endsWith("dev")) {
            assertThat(max).as("production trainers use every partition").isEqualTo(partitions);
        }
        assertThat(spec.path("triggers")).hasSize(1);
        JsonNode trigger = spec.path("triggers").get(0);
        assertThat(trigger.path("type").asText()).isEqualTo("kafka");
        JsonNode metadata = trigger.path("metadata");
        assertThat(metadata.path("consumerGroup").asText()).isEqualTo("trainers");
        assertThat(metadata.path("topic").asText()).isEqualTo(Topics.TRAINING_COMMANDS);
        assertThat(metadata.path("lagThreshold").isTextual()).as("KEDA metadata values are strings").isTrue();
        String brokers = configMaps.values().stream().filter(c -> c.getMetadata().getName().startsWith("stagetune-config"))
                .findFirst().orElseThrow().getData().get("KAFKA_BOOTSTRAP_SERVERS");
        assertThat(metadata.path("bootstrapServers").asText()).isEqualTo(brokers);
    }

    private static void checkGpuTrainer(Container trainer) {
        assertThat(trainer.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("1"));
        assertThat(trainer.getImage()).endsWith("-cuda");
    }

    /** Runs are owned by the registry: the trainer gets its URL and the token of its trainer role. */
    private static void checkTrainerUsesTheRegistry(Container trainer, Map<String, ConfigMap> configMaps) {
        assertThat(trainer.getEnvFrom()).anySatisfy(source -> assertThat(configMaps.get(source.getConfigMapRef()
                .getName()).getData()).containsKey("REGISTRY_URL"));
        assertThat(trainer.getEnv()).anySatisfy(env -> {
            assertThat(env.getName()).isEqualTo("REGISTRY_TRAINER_TOKEN");
            assertThat(env.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("REGISTRY_TRAINER_TOKEN");
        });
    }

    /** A stopping trainer hands its stage over at an epoch boundary within TRAINER_STOP_TIMEOUT, before the kill. */
    private static void checkTrainerStopsWithinItsGracePeriod(List<Deployment> deployments) {
        Deployment deployment = deployments.stream().filter(d -> d.getMetadata().getName().equals("trainer-service"))
                .findFirst().orElseThrow();
        long grace = deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
        String stopTimeout = trainer(deployments).getEnv().stream().filter(env -> env.getName()
                        .equals("TRAINER_STOP_TIMEOUT")).findFirst()
                .orElseThrow(() -> new AssertionError("the trainer sets no TRAINER_STOP_TIMEOUT")).getValue();
        assertThat(stopTimeout).as("TRAINER_STOP_TIMEOUT in seconds, e.g. 600s").matches("\\d+s");
        assertThat(Long.parseLong(stopTimeout.substring(0, stopTimeout.length() - 1)))
                .as("TRAINER_STOP_TIMEOUT below terminationGracePeriodSeconds %d", grace).isLessThan(grace);
    }

    private static Container trainer(List<Deployment> deployments) {
        Deployment trainer = deployments.stream().filter(d -> d.getMetadata().getName().equals("trainer-service"))
                .findFirst().orElseThrow();
        assertThat(trainer.getSpec().getReplicas()).as("KEDA owns the trainer replicas").isNull();
        var spec = trainer.getSpec().getTemplate().getSpec();
        if (spec.getContainers().get(0).getImage().endsWith("-cuda")) {
            assertThat(spec.getTolerations()).anySatisfy(t -> assertThat(t.getKey()).isEqualTo("nvidia.com/gpu"));
            assertThat(spec.getNodeSelector()).containsKey("nvidia.com/gpu.present");
        }
        return spec.getContainers().get(0);
    }

    private static List<JsonNode> render(String kustomization) throws IOException {
        String yaml = DeployTools.succeed("kubectl", "kustomize", "deploy/" + kustomization);
        List<JsonNode> documents = new ArrayList<>();
        try (var parser = new YAMLMapper().createParser(yaml)) {
            new YAMLMapper().readValues(parser, JsonNode.class).forEachRemaining(node -> {
                if (!node.isNull() && !node.isMissingNode()) {
                    documents.add(node);
                }
            });
        }
        assertThat(documents).isNotEmpty();
        return documents;
    }

    private static List<String> overlays() throws IOException {
        try (var dirs = Files.list(DeployTools.root().resolve("deploy/overlays"))) {
            return dirs.filter(Files::isDirectory).map(dir -> dir.getFileName().toString()).toList();
        }
    }

    private static Set<String> secretKeys() throws IOException {
        return Files.readAllLines(DeployTools.root().resolve("deploy/secrets.env.example")).stream()
                .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .map(line -> line.substring(0, line.indexOf('='))).collect(Collectors.toSet());
    }

    private static <T> List<T> ofKind(List<HasMetadata> resources, Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /**
     * fabric8's model keeps fields it does not know in {@code additionalProperties} instead of failing: any entry
     * there, at any depth, is a field the Kubernetes schema does not have (a typo or a wrong indentation).
     */
    private static void unknownFields(Object value, String path, List<String> unknown) {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int index = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + index++ + "]", unknown);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> unknownFields(item, path + "." + key, unknown));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
                continue;
            }
            Object field;
            try {
                field = getter.invoke(value);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (field instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    unknown.add(path + ": " + extra.keySet());
                }
            } else {
                unknownFields(field, path + "." + getter.getName().substring(3), unknown);
            }
        }
    }
}
