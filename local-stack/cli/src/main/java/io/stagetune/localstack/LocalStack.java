package io.stagetune.localstack;

import io.stagetune.localstack.infrastructure.LocalInfrastructure;
import io.stagetune.common.runtime.NativeAllocator;
import io.stagetune.localstack.infrastructure.ServiceProcess;
import io.stagetune.common.storage.ObjectStore;
import io.stagetune.common.storage.ObjectStoreSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The whole pipeline on one machine, no Docker: the {@link LocalInfrastructure} (Kafka, S3) in this process and
 * the four services as separate JVMs, all configured to find each other, with every byte of state under one data
 * folder so that a restart continues where the last run stopped. The services can also be pointed at a Kafka and
 * an S3 store that run elsewhere ({@link #startServices}), e.g. the real images in containers.
 */
public final class LocalStack implements AutoCloseable {

    /** The services, their Maven modules and default ports. */
    public enum Service {
        REGISTRY("model-registry", 8084),
        INGEST("ingest-service", 8081),
        TRAINER("trainer-service", 8082),
        EVALUATOR("evaluator-service", 8083);

        private final String module;
        private final int defaultPort;

        Service(String module, int defaultPort) {
            this.module = module;
            this.defaultPort = defaultPort;
        }

        public String module() {
            return module;
        }

        public int defaultPort() {
            return defaultPort;
        }
    }

    /**
     * @param repository        the repository root, where the services' builds are
     * @param services          which services to start
     * @param ports             the services' HTTP ports
     * @param properties        extra configuration per service (system properties), e.g. the trainer's
     *                          {@code trainer.models.<name>.*}
     */
    public record Settings(Path repository, Path dataDirectory, int kafkaPort, int s3Port, Set<Service> services,
                           Map<Service, Integer> ports, Map<Service, Map<String, String>> properties) {

        public Settings {
            properties = Map.copyOf(properties);
        }

        /** These settings with {@code extra} added to the service's configuration. */
        public Settings withProperties(Service service, Map<String, String> extra) {
            Map<Service, Map<String, String>> all = new EnumMap<>(Service.class);
            all.putAll(properties);
            Map<String, String> merged = new HashMap<>(all.getOrDefault(service, Map.of()));
            merged.putAll(extra);
            all.put(service, Map.copyOf(merged));
            return new Settings(repository, dataDirectory, kafkaPort, s3Port, services, ports, all);
        }

        public Settings withDataDirectory(Path data) {
            return new Settings(repository, data, kafkaPort, s3Port, services, ports, properties);
        }

        /** These settings on free ports (Kafka, S3 and every service), to run beside another stack. */
        public Settings onFreePorts() {
            Map<Service, Integer> free = new EnumMap<>(Service.class);
            for (Service service : Service.values()) {
                free.put(service, freePort());
            }
            return new Settings(repository, dataDirectory, freePort(), freePort(), services, free, properties);
        }

        private static int freePort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException("no free port", e);
            }
        }

        public static Settings defaults(Path repository) {
            Map<Service, Integer> ports = new EnumMap<>(Service.class);
            for (Service service : Service.values()) {
                ports.put(service, service.defaultPort());
            }
            return new Settings(repository, repository.resolve(".data"), LocalInfrastructure.DEFAULT_KAFKA_PORT,
                    LocalInfrastructure.DEFAULT_S3_PORT, Set.of(Service.values()), ports, Map.of());
        }
    }

    /** Owned: started here and stopped by {@link #close()}; null when the services use someone else's. */
    private final LocalInfrastructure infrastructure;
    private final String kafkaBootstrapServers;
    private final ObjectStoreSettings objectStore;
    private final StackSecrets secrets;
    private final Map<Service, ServiceProcess> processes = new EnumMap<>(Service.class);
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Ctrl-C (or any JVM exit) stops the service processes too: none is left running without its stack. */
    private final Thread shutdownHook = new Thread(this::close, "local-stack-shutdown");

    private LocalStack(LocalInfrastructure infrastructure, String kafkaBootstrapServers,
                       ObjectStoreSettings objectStore, StackSecrets secrets) {
        this.infrastructure = infrastructure;
        this.kafkaBootstrapServers = kafkaBootstrapServers;
        this.objectStore = objectStore;
        this.secrets = secrets;
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts the embedded Kafka and S3 store, then the services. */
    public static LocalStack start(Settings settings, Consumer<String> progress) throws InterruptedException {
        Path data = settings.dataDirectory().toAbsolutePath().normalize();
        StackSecrets secrets = StackSecrets.loadOrCreate(data);
        progress.accept("starting Kafka and the S3 store (data in " + data + ")");
        LocalInfrastructure infrastructure = LocalInfrastructure.start(new LocalInfrastructure.Settings(data,
                settings.kafkaPort(), settings.s3Port(), secrets.s3AccessKey(), secrets.s3SecretKey()));
        return startServices(new LocalStack(infrastructure, infrastructure.kafkaBootstrapServers(),
                infrastructure.objectStoreSettings(), secrets), settings, data, progress);
    }

    /**
     * Starts only the services, against a Kafka and an S3 store that run elsewhere (whose topics and buckets
     * exist); {@link #close()} stops the services and leaves those alone. The settings' Kafka and S3 ports are
     * not used.
     */
    public static LocalStack startServices(Settings settings, String kafkaBootstrapServers,
                                           ObjectStoreSettings objectStore, Consumer<String> progress)
            throws InterruptedException {
        Path data = settings.dataDirectory().toAbsolutePath().normalize();
        return startServices(new LocalStack(null, kafkaBootstrapServers, objectStore,
                StackSecrets.loadOrCreate(data)), settings, data, progress);
    }

    private static LocalStack startServices(LocalStack stack, Settings settings, Path data,
                                            Consumer<String> progress) throws InterruptedException {
        Map<Service, ServiceProcess> processes = stack.processes;
        try {
            Map<String, String> preload = Map.of();
            if (settings.services().contains(Service.TRAINER) || settings.services().contains(Service.EVALUATOR)) {
                NativeAllocator allocator = NativeAllocator.fromEnvironment();
                preload = allocator.environment(System.getenv());
                progress.accept("trainer and evaluator: " + allocatorNote(allocator, preload));
            }
            for (Service service : Service.values()) {
                if (settings.services().contains(service)) {
                    progress.accept("starting " + service.module());
                    processes.put(service, ServiceProcess.start(service.module(),
                            ServiceProcess.runner(settings.repository(), service.module()),
                            settings.ports().get(service), stack.environment(service, data, preload),
                            systemProperties(service, data, settings), data.resolve("logs")));
                }
            }
            for (ServiceProcess process : processes.values()) {
                process.awaitReady(Duration.ofMinutes(3));
                progress.accept(process.name() + " ready at " + process.url());
            }
            return stack;
        } catch (RuntimeException | InterruptedException e) {
            stack.close();
            throw e;
        }
    }

    private static String allocatorNote(NativeAllocator allocator, Map<String, String> preload) {
        if (!preload.isEmpty()) {
            return "libtorch allocates with " + allocator;
        }
        if (System.getenv("LD_PRELOAD") != null) {
            return "LD_PRELOAD=" + System.getenv("LD_PRELOAD") + " (yours) is kept";
        }
        return "libtorch allocates with the system's allocator; CPU training runs up to twice as fast with tcmalloc "
                + "(Debian/Ubuntu: apt-get install libtcmalloc-minimal4)";
    }

    private Map<String, String> environment(Service service, Path data, Map<String, String> preload) {
        Map<String, String> environment = new HashMap<>();
        if (service == Service.TRAINER || service == Service.EVALUATOR) {
            // libtorch's CPU training and inference allocate large buffers every step (see NativeAllocator).
            environment.putAll(preload);
        }
        environment.put("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrapServers);
        environment.put("PIPELINE_OBJECT_STORE_ENDPOINT", objectStore.endpoint());
        environment.put("PIPELINE_OBJECT_STORE_ACCESS_KEY", objectStore.accessKey());
        environment.put("PIPELINE_OBJECT_STORE_SECRET_KEY", objectStore.secretKey());
        environment.put("INGEST_TOKEN", secrets.ingestToken());
        environment.put("ADMIN_TOKEN", secrets.adminToken());
        environment.put("REGISTRY_EVALUATOR_TOKEN", secrets.evaluatorToken());
        environment.put("REGISTRY_TRAINER_TOKEN", secrets.trainerToken());
        environment.put("REGISTRY_DATA_DIR", data.resolve("registry").toString());
        if (processes.containsKey(Service.REGISTRY)) {
            environment.put("REGISTRY_URL", processes.get(Service.REGISTRY).url());
        }
        return environment;
    }

    private static Map<String, String> systemProperties(Service service, Path data, Settings settings) {
        Map<String, String> properties = new HashMap<>();
        if (service == Service.TRAINER) {
            properties.put("trainer.worker.cache-dir", data.resolve("trainer-cache").toString());
            properties.put("ai.djl.offline", "true");
        }
        if (service == Service.EVALUATOR) {
            properties.put("evaluator.cache-dir", data.resolve("evaluator-cache").toString());
        }
        properties.putAll(settings.properties().getOrDefault(service, Map.of()));
        return properties;
    }

    /** Uploads a TorchScript backbone file as {@code s3://checkpoints/_backbones/<file name>}; returns that URI. */
    public String uploadBackbone(Path backbone) {
        ObjectStore store = new ObjectStore(objectStore);
        store.ensureBucket("checkpoints");
        store.put("checkpoints", "_backbones/" + backbone.getFileName(), backbone, "application/octet-stream");
        return "s3://checkpoints/_backbones/" + backbone.getFileName();
    }

    public String kafkaBootstrapServers() {
        return kafkaBootstrapServers;
    }

    public ObjectStoreSettings objectStoreSettings() {
        return objectStore;
    }

    public StackSecrets secrets() {
        return secrets;
    }

    public String url(Service service) {
        ServiceProcess process = processes.get(service);
        if (process == null) {
            throw new IllegalStateException(service.module() + " is not running in this stack");
        }
        return process.url();
    }

    public List<ServiceProcess> processes() {
        return List.copyOf(processes.values());
    }

    /** Stops the services (newest first), then the infrastructure if it was started here; all data stays. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is exiting: the hook runs (or ran) this same close, which returns at once.
            }
        }
        List<ServiceProcess> running = new ArrayList<>(processes.values());
        Collections.reverse(running);
        running.parallelStream().forEach(ServiceProcess::close);
        if (infrastructure != null) {
            infrastructure.close();
        }
    }
}
