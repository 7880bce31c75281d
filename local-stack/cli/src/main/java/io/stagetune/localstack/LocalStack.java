package io.stagetune.localstack;

import io.stagetune.common.runtime.NativeAllocator;
import io.stagetune.common.storage.ObjectStore;
import io.stagetune.common.storage.ObjectStoreSettings;
import io.stagetune.localstack.infrastructure.FreePorts;
import io.stagetune.localstack.infrastructure.LocalInfrastructure;
import io.stagetune.localstack.infrastructure.ServiceProcess;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The whole pipeline on one machine, no Docker: the {@link LocalInfrastructure} (Kafka, S3, a database server) in
 * this process and the services as separate JVMs (several processes of a service where asked), all configured to find each other, with every byte of state under one data
 * folder so that a restart continues where the last run stopped. The services can also be pointed at a Kafka and
 * an S3 store that run elsewhere ({@link #startServices}), e.g. the real images in containers.
 */
public final class LocalStack implements AutoCloseable {

    /** The services, their Maven modules and default ports. */
    public enum Service {
        REGISTRY("model-registry", 8084),
        INGEST("ingest-service", 8081),
        TRAINER("trainer-service", 8082),
        EVALUATOR("evaluator-service", 8083),
        SERVING("serving-service", 8085);

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
     * @param repository    the repository root, where the services' builds are
     * @param kafkaPort     Kafka's port, 0 for any free one (likewise {@code s3Port} and {@code databasePort})
     * @param services      which services to start
     * @param ports         the services' HTTP ports (of their first replica; further replicas take free ports)
     * @param properties    extra configuration per service (system properties), e.g. the trainer's
     *                      {@code trainer.models.<name>.*}
     * @param replicas      processes per service, 1 where not given
     */
    public record Settings(Path repository, Path dataDirectory, int kafkaPort, int s3Port, int databasePort,
                           Set<Service> services, Map<Service, Integer> ports,
                           Map<Service, Map<String, String>> properties, Map<Service, Integer> replicas) {

        public Settings {
            properties = Map.copyOf(properties);
            replicas = Map.copyOf(replicas);
            replicas.forEach((service, count) -> {
                if (count < 1) {
                    throw new IllegalArgumentException(service.module() + ": replicas must be at least 1, not "
                            + count);
                }
                if (count > 1 && service == Service.REGISTRY) {
                    throw new IllegalArgumentException("model-registry runs one process on the local stack (its "
                            + "embedded database is a file that one process opens)");
                }
            });
        }

        /** One process per service, the database server on any free port. */
        public Settings(Path repository, Path dataDirectory, int kafkaPort, int s3Port, Set<Service> services,
                        Map<Service, Integer> ports, Map<Service, Map<String, String>> properties) {
            this(repository, dataDirectory, kafkaPort, s3Port, 0, services, ports, properties, Map.of());
        }

        /** These settings with {@code extra} added to the service's configuration. */
        public Settings withProperties(Service service, Map<String, String> extra) {
            Map<Service, Map<String, String>> all = new EnumMap<>(Service.class);
            all.putAll(properties);
            Map<String, String> merged = new HashMap<>(all.getOrDefault(service, Map.of()));
            merged.putAll(extra);
            all.put(service, Map.copyOf(merged));
            return new Settings(repository, dataDirectory, kafkaPort, s3Port, databasePort, services, ports, all,
                    replicas);
        }

        public Settings withDataDirectory(Path data) {
            return new Settings(repository, data, kafkaPort, s3Port, databasePort, services, ports, properties,
                    replicas);
        }

        public Settings withReplicas(Map<Service, Integer> counts) {
            return new Settings(repository, dataDirectory, kafkaPort, s3Port, databasePort, services, ports,
                    properties, counts);
        }

        public int replicas(Service service) {
            return replicas.getOrDefault(service, 1);
        }

        /** These settings on free ports (Kafka, S3, the database and every service), to run beside another stack. */
        public Settings onFreePorts() {
            Map<Service, Integer> free = new EnumMap<>(Service.class);
            for (Service service : Service.values()) {
                free.put(service, FreePorts.pick());
            }
            return new Settings(repository, dataDirectory, FreePorts.pick(), FreePorts.pick(), 0, services, free,
                    properties, replicas);
        }

        public static Settings defaults(Path repository) {
            Map<Service, Integer> ports = new EnumMap<>(Service.class);
            for (Service service : Service.values()) {
                ports.put(service, service.defaultPort());
            }
            return new Settings(repository, repository.resolve(".data"), LocalInfrastructure.DEFAULT_KAFKA_PORT,
                    LocalInfrastructure.DEFAULT_S3_PORT, LocalInfrastructure.DEFAULT_DATABASE_PORT,
                    Set.of(Service.values()), ports, Map.of(), Map.of());
        }
    }

    /** Owned: started here and stopped by {@link #close()}; null when the services use someone else's. */
    private final LocalInfrastructure infrastructure;
    private final String kafkaBootstrapServers;
    private final ObjectStoreSettings objectStore;
    private final StackSecrets secrets;
    /** Each service's processes, the first (on the service's own port) first. */
    private final Map<Service, List<ServiceProcess>> processes = new EnumMap<>(Service.class);
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
                settings.kafkaPort(), settings.s3Port(), settings.databasePort(), secrets.s3AccessKey(),
                secrets.s3SecretKey()));
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
        if (stack.infrastructure == null && settings.replicas(Service.INGEST) > 1) {
            stack.close();
            throw new IllegalArgumentException("several ingest-service replicas need the stack's database server; "
                    + "against infrastructure that runs elsewhere, point them at a shared database (INGEST_DB_URL)");
        }
        Map<Service, List<ServiceProcess>> processes = stack.processes;
        try {
            Map<String, String> preload = Map.of();
            if (settings.services().contains(Service.TRAINER) || settings.services().contains(Service.EVALUATOR)
                    || settings.services().contains(Service.SERVING)) {
                NativeAllocator allocator = NativeAllocator.fromEnvironment();
                preload = allocator.environment(System.getenv());
                progress.accept("trainer, evaluator and serving: " + allocatorNote(allocator, preload));
            }
            // The serving-service follows the registry: it starts once the others are ready, which also spares a
            // small machine five JVMs starting at once.
            List<Service> first = Arrays.stream(Service.values()).filter(service -> service != Service.SERVING)
                    .toList();
            start(stack, settings, data, preload, first, progress);
            for (Service service : first) {
                for (ServiceProcess process : processes.getOrDefault(service, List.of())) {
                    process.awaitReady(Duration.ofMinutes(3));
                    progress.accept(process.name() + " ready at " + process.url());
                }
            }
            start(stack, settings, data, preload, List.of(Service.SERVING), progress);
            for (ServiceProcess process : processes.getOrDefault(Service.SERVING, List.of())) {
                // Ready only once the registry has a version behind its alias; started is enough here.
                process.awaitLive(Duration.ofMinutes(3));
                progress.accept(process.name() + " started at " + process.url()
                        + " (serves a model once its production alias is set)");
            }
            return stack;
        } catch (RuntimeException | InterruptedException e) {
            stack.close();
            throw e;
        }
    }

    private static void start(LocalStack stack, Settings settings, Path data, Map<String, String> preload,
                              List<Service> services, Consumer<String> progress) {
        for (Service service : services) {
            if (!settings.services().contains(service)) {
                continue;
            }
            for (int replica = 1; replica <= settings.replicas(service); replica++) {
                String name = replica == 1 ? service.module() : service.module() + "-" + replica;
                progress.accept("starting " + name);
                int port = replica == 1 ? settings.ports().get(service) : FreePorts.pick();
                ServiceProcess process = ServiceProcess.start(name,
                        ServiceProcess.runner(settings.repository(), service.module()), port,
                        stack.environment(service, data, preload),
                        systemProperties(service, replica, data, settings), data.resolve("logs"));
                stack.processes.computeIfAbsent(service, key -> new ArrayList<>()).add(process);
            }
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
        if (service == Service.TRAINER || service == Service.EVALUATOR || service == Service.SERVING) {
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
        if (service == Service.INGEST) {
            // Every ingest replica shares one database: on the stack's server, or a file when the stack uses
            // infrastructure that runs elsewhere (one replica then).
            environment.put("INGEST_DATA_DIR", data.resolve("ingest").toString());
            // Role reviewer: labels the review queue's items (`pipeline label`).
            environment.put("INGEST_REVIEWER_TOKEN", secrets.reviewerToken());
            if (infrastructure != null) {
                environment.put("INGEST_DB_URL", infrastructure.database().jdbcUrl("ingest"));
                environment.put("INGEST_DB_USER", "ingest");
                environment.put("INGEST_DB_PASSWORD", secrets.ingestDatabasePassword());
            }
        }
        if (service == Service.SERVING) {
            // Predictions are open on the local stack; the admin token is the one the role would need.
            environment.put("SERVING_PREDICT_POLICY", "permit");
            environment.put("SERVING_PREDICT_TOKEN", secrets.adminToken());
            // The review queue (ingest) picks only predictions whose image the serving-service kept.
            environment.put("SERVING_KEEP_IMAGES", "true");
        }
        if (processes.containsKey(Service.REGISTRY)) {
            environment.put("REGISTRY_URL", url(Service.REGISTRY));
        }
        return environment;
    }

    private static Map<String, String> systemProperties(Service service, int replica, Path data, Settings settings) {
        Map<String, String> properties = new HashMap<>();
        String suffix = replica == 1 ? "" : "-" + replica;
        if (service == Service.TRAINER) {
            properties.put("trainer.worker.cache-dir", data.resolve("trainer-cache" + suffix).toString());
            properties.put("ai.djl.offline", "true");
        }
        if (service == Service.EVALUATOR) {
            properties.put("evaluator.cache-dir", data.resolve("evaluator-cache" + suffix).toString());
        }
        if (service == Service.REGISTRY && settings.services().contains(Service.INGEST)) {
            // The console's datasets page shows ingest's counts per label and split.
            properties.put("registry.console.ingest-url", "http://localhost:" + settings.ports().get(Service.INGEST));
        }
        if (service == Service.SERVING) {
            properties.put("serving.cache-dir", data.resolve("serving-cache" + suffix).toString());
            properties.put("ai.djl.offline", "true");
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

    /** The URL of the service's first replica. */
    public String url(Service service) {
        return urls(service).get(0);
    }

    /** The URLs of all the service's replicas, the first first. */
    public List<String> urls(Service service) {
        List<ServiceProcess> replicas = processes.getOrDefault(service, List.of());
        if (replicas.isEmpty()) {
            throw new IllegalStateException(service.module() + " is not running in this stack");
        }
        return replicas.stream().map(ServiceProcess::url).toList();
    }

    public List<ServiceProcess> processes() {
        return processes.values().stream().flatMap(List::stream).toList();
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
        List<ServiceProcess> running = new ArrayList<>(processes());
        Collections.reverse(running);
        running.parallelStream().forEach(ServiceProcess::close);
        if (infrastructure != null) {
            infrastructure.close();
        }
    }
}
