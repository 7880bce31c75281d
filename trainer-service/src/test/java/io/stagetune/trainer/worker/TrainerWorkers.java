package io.stagetune.trainer.worker;

import io.stagetune.localstack.infrastructure.EmbeddedKafka;
import io.stagetune.localstack.infrastructure.EmbeddedS3;
import io.stagetune.localstack.infrastructure.FreePorts;
import io.stagetune.localstack.infrastructure.ServiceProcess;
import io.stagetune.testsupport.RegistryProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Trainer workers as separate processes (the trainer's packaged build), each with its own port, cache folder and
 * worker id, against one broker, store and registry: what a scaled-out deployment runs. A worker can be killed
 * (SIGKILL) or stopped (SIGTERM) as Kubernetes would.
 */
final class TrainerWorkers implements AutoCloseable {

    static final String GROUP = "trainers";
    static final String COMMANDS = "training-commands";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final EmbeddedKafka kafka;
    private final EmbeddedS3 s3;
    private final RegistryProcess registry;
    private final Path root;
    private final Map<String, String> properties;
    private final Map<String, ServiceProcess> running = new LinkedHashMap<>();

    /**
     * @param properties configuration every worker gets on top of the test settings (system properties)
     */
    TrainerWorkers(EmbeddedKafka kafka, EmbeddedS3 s3, RegistryProcess registry, Path root,
                   Map<String, String> properties) {
        this.kafka = kafka;
        this.s3 = s3;
        this.registry = registry;
        this.root = root;
        this.properties = properties;
    }

    /** Starts a worker; {@link #awaitReady} waits for it. */
    ServiceProcess start(String id) {
        return start(id, kafka.bootstrapServers());
    }

    /** Starts a worker that reaches the broker through {@code bootstrapServers} (a {@link BrokerGate}'s address). */
    ServiceProcess start(String id, String bootstrapServers) {
        Map<String, String> environment = new HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", bootstrapServers,
                "PIPELINE_OBJECT_STORE_ENDPOINT", s3.endpoint(),
                "PIPELINE_OBJECT_STORE_ACCESS_KEY", s3.accessKey(),
                "PIPELINE_OBJECT_STORE_SECRET_KEY", s3.secretKey(),
                "REGISTRY_URL", registry.url(),
                "REGISTRY_TRAINER_TOKEN", RegistryProcess.TRAINER_TOKEN,
                "ADMIN_TOKEN", "scaling-admin-token",
                "TRAINER_DEVICES", "cpu",
                "TRAINER_CACHE_DIR", root.resolve(id).resolve("cache").toString(),
                // Small heaps: several trainers share the machine; libtorch's memory is native.
                "JAVA_TOOL_OPTIONS", "-Xmx768m"));
        Map<String, String> system = new HashMap<>(properties);
        system.put("trainer.worker.id", id);
        system.put("ai.djl.offline", "true");
        system.put("quarkus.log.category.\"org.apache.kafka\".level", "WARN");
        for (String channel : List.of(COMMANDS, "dataset-events")) {
            String prefix = "mp.messaging.incoming." + channel + ".";
            system.put(prefix + "client.id", id + "-" + channel);
            // A killed worker leaves the group after this, not after the default 45 s.
            system.put(prefix + "session.timeout.ms", "6000");
            system.put(prefix + "heartbeat.interval.ms", "1000");
        }
        ServiceProcess process = ServiceProcess.start("trainer-" + id,
                ServiceProcess.runner(repository(), "trainer-service"), FreePorts.pick(),
                environment, system, root.resolve("logs"));
        running.put(id, process);
        return process;
    }

    void awaitReady(String... ids) throws InterruptedException {
        for (String id : ids) {
            running.get(id).awaitReady(Duration.ofMinutes(3));
        }
    }

    /** Waits until the workers' applications are up (live), whether or not they reach the broker. */
    void awaitStarted(String... ids) {
        for (String id : ids) {
            HttpRequest live = HttpRequest.newBuilder(URI.create(running.get(id).url() + "/q/health/live")).build();
            org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
                    .ignoreExceptions()
                    .until(() -> HTTP.send(live, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        }
    }

    /** SIGKILL: the worker vanishes mid-step, nothing of it runs on. */
    void kill(String id) {
        handle(id).destroyForcibly();
        await(id);
    }

    /** SIGTERM, as Kubernetes stops a pod; returns how long the worker took to exit. */
    Duration terminate(String id, Duration grace) throws Exception {
        long began = System.nanoTime();
        ProcessHandle process = handle(id);
        process.destroy();
        process.onExit().get(grace.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        running.remove(id);
        return Duration.ofNanos(System.nanoTime() - began);
    }

    List<String> running() {
        return List.copyOf(running.keySet());
    }

    String log(String id) throws IOException {
        return Files.readString(root.resolve("logs").resolve("trainer-" + id + ".log"));
    }

    /** A metric sample with exactly these labels from the worker's {@code /q/metrics}, 0 when absent. */
    double metric(String id, String name, Map<String, String> labels) throws Exception {
        String page = HTTP.send(HttpRequest.newBuilder(URI.create(running.get(id).url() + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{([^}]*)})? (\\S+)$").matcher(page);
        while (matcher.find()) {
            Map<String, String> found = new HashMap<>();
            for (String pair : matcher.group(1) == null ? new String[0] : matcher.group(1).split(",")) {
                int equals = pair.indexOf('=');
                if (equals > 0) {
                    found.put(pair.substring(0, equals), pair.substring(equals + 2, pair.length() - 1));
                }
            }
            if (found.equals(labels)) {
                return Double.parseDouble(matcher.group(2));
            }
        }
        return 0;
    }

    /** The consumer group, once it is stable with exactly these members and every partition assigned. */
    Optional<ConsumerGroupDescription> stableGroup(int members) throws Exception {
        try (Admin admin = admin()) {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(GROUP)).all().get().get(GROUP);
            int assigned = group.members().stream().mapToInt(member -> member.assignment().topicPartitions().size())
                    .sum();
            return group.groupState() == GroupState.STABLE && group.members().size() == members
                    && assigned == TrainerScalingIT.PARTITIONS ? Optional.of(group) : Optional.empty();
        }
    }

    /** The worker whose consumer owns the partition now. */
    String ownerOf(int partition) throws Exception {
        TopicPartition wanted = new TopicPartition(COMMANDS, partition);
        try (Admin admin = admin()) {
            for (MemberDescription member : admin.describeConsumerGroups(List.of(GROUP)).all().get().get(GROUP)
                    .members()) {
                if (member.assignment().topicPartitions().contains(wanted)) {
                    return member.clientId().substring(0, member.clientId().indexOf("-" + COMMANDS));
                }
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
        throw new AssertionError("nobody owns " + wanted);
    }

    /** The partition a record keyed {@code key} goes to (Kafka's default partitioner). */
    static int partitionOf(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % TrainerScalingIT.PARTITIONS;
    }

    /** A run id with the prefix whose commands land on {@code partition}. */
    static String runIdOn(String prefix, int partition) {
        for (int i = 0; ; i++) {
            String runId = prefix + "-" + i;
            if (partitionOf(runId) == partition) {
                return runId;
            }
        }
    }

    @Override
    public void close() {
        running.values().forEach(ServiceProcess::close);
        running.clear();
    }

    private ProcessHandle handle(String id) {
        String argument = "-Dtrainer.worker.id=" + id;
        return ProcessHandle.allProcesses()
                .filter(process -> process.info().arguments().map(List::of).orElse(List.of()).contains(argument))
                .findFirst().orElseThrow(() -> new AssertionError("no process of worker " + id));
    }

    private void await(String id) {
        running.remove(id).close();
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    private static Path repository() {
        return TrainingDataset.repositoryFile("fixtures").getParent();
    }
}
