package io.stagetune.evaluator.messaging;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.stagetune.common.embedded.EmbeddedKafka;
import io.stagetune.common.embedded.EmbeddedS3;
import io.stagetune.common.embedded.InjectKafka;
import io.stagetune.common.embedded.InjectS3;
import io.stagetune.common.embedded.ServiceProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The evaluator's real neighbours: an embedded Kafka broker, an S3 store, and the model registry running as its
 * own process (its packaged build, on H2 in a temporary folder), which a test can stop and start again.
 */
public class PipelineTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String EVALUATOR_TOKEN = "test-evaluator-token";
    public static final String ADMIN_TOKEN = "test-admin-token";

    private static ServiceProcess registry;
    private static Map<String, String> registryEnvironment;
    private static Path registryRunner;
    private static Path logs;
    private static int registryPort;

    private EmbeddedKafka kafka;
    private EmbeddedS3 s3;

    @Override
    public Map<String, String> start() {
        kafka = EmbeddedKafka.start();
        s3 = EmbeddedS3.start();
        try {
            Path data = Files.createTempDirectory("registry-");
            logs = data.resolve("logs");
            registryRunner = ServiceProcess.runner(Path.of("..").toAbsolutePath().normalize(), "model-registry");
            registryPort = freePort();
            registryEnvironment = Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                    "REGISTRY_DATA_DIR", data.resolve("db").toString(), "ADMIN_TOKEN", ADMIN_TOKEN,
                    "REGISTRY_EVALUATOR_TOKEN", EVALUATOR_TOKEN, "REGISTRY_TRAINER_TOKEN", "test-trainer-token");
            startRegistry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("kafka.bootstrap.servers", kafka.bootstrapServers(),
                "pipeline.object-store.endpoint", s3.endpoint(),
                "pipeline.object-store.access-key", s3.accessKey(),
                "pipeline.object-store.secret-key", s3.secretKey(),
                "quarkus.rest-client.registry.url", registryUrl(),
                "evaluator.registry-token", EVALUATOR_TOKEN);
    }

    public static String registryUrl() {
        return "http://localhost:" + registryPort;
    }

    public static void stopRegistry() {
        registry.close();
    }

    /** Starts the registry (again) on the same port and database. */
    public static void startRegistry() {
        registry = ServiceProcess.start("model-registry", registryRunner, registryPort, registryEnvironment,
                Map.of(), logs);
        try {
            registry.awaitReady(Duration.ofMinutes(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(kafka, new TestInjector.AnnotatedAndMatchesType(InjectKafka.class,
                EmbeddedKafka.class));
        injector.injectIntoFields(s3, new TestInjector.AnnotatedAndMatchesType(InjectS3.class, EmbeddedS3.class));
    }

    @Override
    public void stop() {
        if (registry != null) {
            registry.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
