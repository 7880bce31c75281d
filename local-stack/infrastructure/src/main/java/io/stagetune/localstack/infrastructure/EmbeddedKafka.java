package io.stagetune.localstack.infrastructure;

import io.stagetune.common.Topics;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;

/**
 * A real Apache Kafka broker in this JVM: one KRaft node acting as controller and broker, built with Kafka's own
 * {@link KafkaClusterTestKit}. It pre-creates the pipeline's topics, can stop and restart its broker on the same
 * address (the controller keeps running, so topics, records and committed offsets survive), and keeps its data
 * across JVM restarts when given a data directory.
 */
public final class EmbeddedKafka implements AutoCloseable {

    /** The test kit numbers brokers from 0 and gives a combined node its broker's id. */
    private static final int NODE_ID = 0;
    /** The combined node's log and metadata directory, as the test kit names it under its base directory. */
    private static final String NODE_DIRECTORY = "combined_" + NODE_ID + "_0";
    /** Client listener used for a fixed port; the test kit binds its own broker listener to a random port. */
    private static final String FIXED_PORT_LISTENER = "CLIENT";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    /**
     * How to start the broker.
     *
     * @param port             client port on localhost; 0 picks a free one (kept across {@link #restartBroker()})
     * @param dataDirectory    where logs and metadata live; null means a temporary directory deleted on close.
     *                         A directory is kept on close and reused (same cluster, topics and records) next time.
     * @param topics           topics to create at start, with their partition counts (existing ones are kept)
     * @param brokerProperties broker configuration on top of the single-node defaults
     */
    public record Options(int port, Path dataDirectory, Map<String, Integer> topics,
                          Map<String, String> brokerProperties) {

        public Options {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            topics = Map.copyOf(topics);
            brokerProperties = Map.copyOf(brokerProperties);
        }

        /** Any free port, a temporary directory, every topic of {@link Topics#partitions()}. */
        public static Options defaults() {
            return new Options(0, null, Topics.partitions(), Map.of());
        }

        public Options withPort(int port) {
            return new Options(port, dataDirectory, topics, brokerProperties);
        }

        public Options withDataDirectory(Path dataDirectory) {
            return new Options(port, dataDirectory, topics, brokerProperties);
        }

        public Options withTopics(Map<String, Integer> topics) {
            return new Options(port, dataDirectory, topics, brokerProperties);
        }

        public Options withBrokerProperty(String key, String value) {
            Map<String, String> properties = new LinkedHashMap<>(brokerProperties);
            properties.put(key, value);
            return new Options(port, dataDirectory, topics, properties);
        }
    }

    private final KafkaClusterTestKit cluster;
    private final String bootstrapServers;
    private final Path dataDirectory;

    private EmbeddedKafka(KafkaClusterTestKit cluster, String bootstrapServers, Path dataDirectory) {
        this.cluster = cluster;
        this.bootstrapServers = bootstrapServers;
        this.dataDirectory = dataDirectory;
    }

    public static EmbeddedKafka start() {
        return start(Options.defaults());
    }

    public static EmbeddedKafka start(Options options) {
        Objects.requireNonNull(options, "options");
        QuietLogging.warnOnly("kafka", "org.apache.kafka", "state.change.logger");
        throwInsteadOfExiting();

        boolean temporary = options.dataDirectory() == null;
        KafkaClusterTestKit cluster = null;
        try {
            Path base = temporary
                    ? Files.createTempDirectory("embedded-kafka-")
                    : Files.createDirectories(options.dataDirectory().toAbsolutePath());
            String existingClusterId = readClusterId(base.resolve(NODE_DIRECTORY));

            TestKitNodes nodes = new TestKitNodes.Builder(productionBootstrapMetadata())
                    .setCombined(true)
                    .setNumControllerNodes(1)
                    .setNumBrokerNodes(1)
                    .setBaseDirectory(base)
                    .setClusterId(existingClusterId)
                    .build();
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes).setDeleteOnClose(temporary);
            singleNodeDefaults().forEach(builder::setConfigProp);
            if (options.port() > 0) {
                fixedPortListener(nodes, options.port()).forEach(builder::setConfigProp);
            }
            options.brokerProperties().forEach(builder::setConfigProp);

            cluster = builder.build();
            if (existingClusterId == null) {
                cluster.format();
            }
            cluster.startup();
            cluster.waitForReadyBrokers();

            String bootstrap = options.port() > 0 ? "localhost:" + options.port() : cluster.bootstrapServers();
            EmbeddedKafka kafka = new EmbeddedKafka(cluster, bootstrap, base);
            kafka.createTopics(options.topics());
            return kafka;
        } catch (Exception e) {
            if (cluster != null) {
                closeQuietly(cluster, e);
            }
            throw new IllegalStateException("embedded Kafka did not start: " + rootMessage(e), e);
        }
    }

    /** {@code host:port} of the broker; the same for the whole life of this object, across restarts. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Where the broker keeps its logs and metadata. */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Creates the topics that do not exist yet (single replica), and waits until each has a leader. */
    public void createTopics(Map<String, Integer> partitionsByTopic) {
        createTopics(bootstrapServers, partitionsByTopic);
    }

    /** The same on any single-broker cluster, e.g. the Apache Kafka image in a test container. */
    public static void createTopics(String bootstrapServers, Map<String, Integer> partitionsByTopic) {
        if (partitionsByTopic.isEmpty()) {
            return;
        }
        List<NewTopic> topics = new ArrayList<>();
        partitionsByTopic.forEach((name, partitions) -> topics.add(new NewTopic(name, partitions, (short) 1)));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(topics).values().forEach((name, created) -> {
                try {
                    created.get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + name + ": " + e.getCause(), e);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while creating topic " + name, e);
                }
            });
            awaitLeaders(admin, partitionsByTopic.keySet());
        }
    }

    public boolean isBrokerRunning() {
        return !broker().isShutdown();
    }

    /**
     * Shuts the broker down, as an outage would: clients lose their connection. The controller keeps running in
     * this JVM, so metadata stays, and the broker's logs stay on disk.
     */
    public synchronized void stopBroker() {
        broker().shutdown();
    }

    /**
     * Starts the broker again (stopping it first if it runs) on the same address, and waits until it is registered
     * and every partition has a leader again.
     */
    public synchronized void restartBroker() {
        BrokerServer broker = broker();
        if (!broker.isShutdown()) {
            broker.shutdown();
        }
        broker.startup();
        try {
            cluster.waitForReadyBrokers();
        } catch (ExecutionException e) {
            throw new IllegalStateException("broker did not come back: " + e.getCause(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while restarting the broker", e);
        }
        try (Admin admin = admin()) {
            awaitLeaders(admin, topicNames(admin));
        }
    }

    /** Stops broker and controller; a temporary data directory is deleted, a given one is kept. */
    @Override
    public synchronized void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            throw new IllegalStateException("embedded Kafka did not shut down cleanly: " + e.getMessage(), e);
        }
    }

    private BrokerServer broker() {
        return cluster.brokers().get(NODE_ID);
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    private static Set<String> topicNames(Admin admin) {
        try {
            return admin.listTopics().names().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot list topics: " + e.getCause(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing topics", e);
        }
    }

    private static void awaitLeaders(Admin admin, Set<String> topics) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (true) {
            String missing;
            try {
                missing = partitionWithoutLeader(admin.describeTopics(topics).allTopicNames().get().values());
            } catch (ExecutionException e) {
                missing = "metadata (" + e.getCause().getMessage() + ")";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for partition leaders", e);
            }
            if (missing == null) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no leader for " + missing + " after " + READY_TIMEOUT);
            }
            sleep(Duration.ofMillis(50));
        }
    }

    private static String partitionWithoutLeader(Iterable<TopicDescription> topics) {
        for (TopicDescription topic : topics) {
            for (TopicPartitionInfo partition : topic.partitions()) {
                if (partition.leader() == null || partition.leader().isEmpty()) {
                    return topic.name() + "-" + partition.partition();
                }
            }
        }
        return null;
    }

    /**
     * The newest production metadata version and feature levels, where the test kit would pick unstable testing
     * versions: the broker behaves like a released one, and its data directory stays readable.
     */
    private static BootstrapMetadata productionBootstrapMetadata() {
        MetadataVersion version = MetadataVersion.latestProduction();
        Map<String, Short> features = new TreeMap<>();
        for (Feature feature : Feature.PRODUCTION_FEATURES) {
            features.put(feature.featureName(), feature.defaultLevel(version));
        }
        return BootstrapMetadata.fromVersions(version, features, "embedded-kafka");
    }

    /** Replication settings a one-node cluster needs, quick group joins and quick broker restarts. */
    private static Map<String, String> singleNodeDefaults() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "5");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        // A restarted broker registers only once its previous session expired (9 s by default); same 4:1 ratio.
        props.put("broker.session.timeout.ms", "2000");
        props.put("broker.heartbeat.interval.ms", "500");
        // Topics are provisioned (here from Topics, in production by deployment); a misspelt name fails loudly.
        props.put("auto.create.topics.enable", "false");
        props.put("unstable.api.versions.enable", "false");
        props.put("unstable.feature.versions.enable", "false");
        return props;
    }

    /**
     * The test kit hands its broker listener a pre-bound socket on a random port and ignores the configured one,
     * so a fixed port gets a listener of its own name, which the broker binds itself.
     */
    private static Map<String, String> fixedPortListener(TestKitNodes nodes, int port) {
        String controller = nodes.controllerListenerName().value();
        String kitBroker = nodes.brokerListenerName().value();
        return Map.of(
                "listeners", FIXED_PORT_LISTENER + "://localhost:" + port + "," + controller + "://localhost:0",
                "listener.security.protocol.map", FIXED_PORT_LISTENER + ":PLAINTEXT," + kitBroker + ":PLAINTEXT,"
                        + controller + ":PLAINTEXT",
                "inter.broker.listener.name", FIXED_PORT_LISTENER);
    }

    /** The cluster id of a node directory formatted by an earlier run, or null for a fresh directory. */
    private static String readClusterId(Path nodeDirectory) throws IOException {
        Path metaProperties = nodeDirectory.resolve("meta.properties");
        if (!Files.exists(metaProperties)) {
            return null;
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(metaProperties)) {
            properties.load(in);
        }
        String clusterId = properties.getProperty("cluster.id");
        if (clusterId == null) {
            throw new IOException(metaProperties + " has no cluster.id");
        }
        return clusterId;
    }

    /** Kafka calls Exit.exit/halt on fatal errors; in a shared JVM that must fail loudly, not end the JVM. */
    private static void throwInsteadOfExiting() {
        Exit.setExitProcedure((status, message) -> {
            throw new IllegalStateException("embedded Kafka asked to exit the JVM (" + status + "): " + message);
        });
        Exit.setHaltProcedure((status, message) -> {
            throw new IllegalStateException("embedded Kafka asked to halt the JVM (" + status + "): " + message);
        });
    }

    private static void closeQuietly(KafkaClusterTestKit cluster, Exception cause) {
        try {
            cluster.close();
        } catch (Exception e) {
            cause.addSuppressed(e);
        }
    }

    /** Kafka wraps the telling failure (say, a port in use) a few levels deep. */
    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == failure ? String.valueOf(failure.getMessage()) : failure.getMessage() + " <- " + root;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
