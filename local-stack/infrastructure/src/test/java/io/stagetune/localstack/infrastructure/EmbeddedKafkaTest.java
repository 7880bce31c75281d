package io.stagetune.localstack.infrastructure;

import io.stagetune.common.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class EmbeddedKafkaTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void createsEveryPipelineTopicWithItsPartitionCount() throws Exception {
        try (Admin admin = admin(kafka)) {
            Map<String, TopicDescription> topics = admin.describeTopics(Topics.partitions().keySet())
                    .allTopicNames().get();
            Map<String, Integer> partitions = topics.values().stream()
                    .collect(Collectors.toMap(TopicDescription::name, topic -> topic.partitions().size()));
            assertThat(partitions).isEqualTo(Topics.partitions());
        }
    }

    @Test
    void deliversProducedRecordToConsumer() throws Exception {
        send(kafka, Topics.DATASET_EVENTS, "shop", "hello");

        try (KafkaConsumer<String, String> consumer = consumer(kafka, "reader-" + UUID.randomUUID())) {
            consumer.subscribe(List.of(Topics.DATASET_EVENTS));
            assertThat(pollUntil(consumer, 1)).extracting(ConsumerRecord::value).contains("hello");
        }
    }

    @Test
    void createTopicsKeepsExistingTopics() throws Exception {
        String topic = "topic-" + UUID.randomUUID();
        kafka.createTopics(Map.of(topic, 2));
        kafka.createTopics(Map.of(topic, 5, Topics.MODEL_EVENTS, 1));

        try (Admin admin = admin(kafka)) {
            Map<String, TopicDescription> topics = admin.describeTopics(List.of(topic, Topics.MODEL_EVENTS))
                    .allTopicNames().get();
            assertThat(topics.get(topic).partitions()).hasSize(2);
            assertThat(topics.get(Topics.MODEL_EVENTS).partitions()).hasSize(3);
        }
    }

    @Test
    void brokerRestartKeepsAddressRecordsAndCommittedOffsets() throws Exception {
        String topic = "outage-" + UUID.randomUUID();
        String group = "group-" + UUID.randomUUID();
        kafka.createTopics(Map.of(topic, 1));
        String address = kafka.bootstrapServers();
        send(kafka, topic, "k", "before-outage");
        try (KafkaConsumer<String, String> consumer = consumer(kafka, group)) {
            consumer.subscribe(List.of(topic));
            assertThat(pollUntil(consumer, 1)).extracting(ConsumerRecord::value).containsExactly("before-outage");
            consumer.commitSync();
        }

        kafka.stopBroker();
        assertThat(kafka.isBrokerRunning()).isFalse();
        try (Admin admin = admin(kafka)) {
            assertThatThrownBy(() -> admin.listTopics(new ListTopicsOptions().timeoutMs(500)).names().get())
                    .hasCauseInstanceOf(TimeoutException.class);
        }
        kafka.restartBroker();

        assertThat(kafka.isBrokerRunning()).isTrue();
        assertThat(kafka.bootstrapServers()).isEqualTo(address);
        assertThat(readAll(kafka, topic, 1)).containsExactly("before-outage");
        send(kafka, topic, "k", "after-outage");
        try (KafkaConsumer<String, String> consumer = consumer(kafka, group)) {
            consumer.subscribe(List.of(topic));
            assertThat(pollUntil(consumer, 1)).extracting(ConsumerRecord::value).containsExactly("after-outage");
        }
    }

    @Test
    void fixedPortAndDataDirectorySurviveBrokerRestartAndReopeningAfterClose(@TempDir Path data) throws Exception {
        int port = FreePorts.pick();
        EmbeddedKafka.Options options = EmbeddedKafka.Options.defaults()
                .withPort(port)
                .withDataDirectory(data)
                .withTopics(Map.of(Topics.DATASET_EVENTS, 3));
        try (EmbeddedKafka first = EmbeddedKafka.start(options)) {
            assertThat(first.bootstrapServers()).isEqualTo("localhost:" + port);
            send(first, Topics.DATASET_EVENTS, "shop", "first-life");
            first.restartBroker();
            send(first, Topics.DATASET_EVENTS, "shop", "after-restart");
        }

        try (EmbeddedKafka second = EmbeddedKafka.start(options)) {
            assertThat(second.bootstrapServers()).isEqualTo("localhost:" + port);
            assertThat(readAll(second, Topics.DATASET_EVENTS, 2)).containsExactly("first-life", "after-restart");
            second.stopBroker();
        }
    }

    private static void send(EmbeddedKafka kafka, String topic, String key, String value) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    /** Every value of the topic from the beginning, read without a group. */
    private static List<String> readAll(EmbeddedKafka kafka, String topic, int expected) {
        try (KafkaConsumer<String, String> consumer = consumer(kafka, null)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            return pollUntil(consumer, expected).stream().map(ConsumerRecord::value).toList();
        }
    }

    private static List<ConsumerRecord<String, String>> pollUntil(KafkaConsumer<String, String> consumer,
                                                                  int expected) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        await().atMost(WAIT).pollDelay(Duration.ZERO).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            return records.size() >= expected;
        });
        return records;
    }

    private static KafkaConsumer<String, String> consumer(EmbeddedKafka kafka, String group) {
        Map<String, Object> config = new HashMap<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"));
        if (group != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }

    private static Admin admin(EmbeddedKafka kafka) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }
}
