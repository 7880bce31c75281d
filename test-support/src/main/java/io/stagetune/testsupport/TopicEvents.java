package io.stagetune.testsupport;

import io.stagetune.common.events.EventJson;
import io.stagetune.common.events.PipelineEvent;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.core.ConditionTimeoutException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/** Publishes and reads pipeline events with plain Kafka clients, as an outside producer or consumer would. */
public final class TopicEvents {

    private TopicEvents() {
    }

    /** Publishes raw text (an event's JSON, or anything malformed) with the given key, and waits for the ack. */
    public static void publish(String bootstrapServers, String topic, String key, String value) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot publish to " + topic, e.getCause());
        }
    }

    public static void publish(String bootstrapServers, PipelineEvent event) {
        publish(bootstrapServers, event.topic(), event.key(), EventJson.write(event));
    }

    /** Publishes the events in order through one producer, and waits until the broker has acknowledged them all. */
    public static void publishAll(String bootstrapServers, List<? extends PipelineEvent> events) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            List<java.util.concurrent.Future<?>> sends = new java.util.ArrayList<>();
            for (PipelineEvent event : events) {
                sends.add(producer.send(new ProducerRecord<>(event.topic(), event.key(), EventJson.write(event))));
            }
            for (java.util.concurrent.Future<?> send : sends) {
                send.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot publish", e.getCause());
        }
    }

    /** Raw records of a topic with the key, from the beginning, until {@code expected} arrived or the wait ran out. */
    public static List<String> readRaw(String bootstrapServers, String topic, String key, int expected,
                                       Duration wait) {
        return readUntil(bootstrapServers, topic, key, values -> values.size() >= expected, wait);
    }

    /** Events of a topic with the key (null: any key), parsed. */
    public static List<PipelineEvent> read(String bootstrapServers, String topic, String key, int expected,
                                           Duration wait) {
        return readRaw(bootstrapServers, topic, key, expected, wait).stream().map(EventJson::read).toList();
    }

    /**
     * Events of a topic with the key, each event id once (its first copy), until {@code expected} distinct events
     * arrived or the wait ran out: what an idempotent consumer sees of an at-least-once producer, which sends an
     * event again when its acknowledgement was lost.
     */
    public static List<PipelineEvent> readDistinct(String bootstrapServers, String topic, String key, int expected,
                                                   Duration wait) {
        return distinct(readUntil(bootstrapServers, topic, key, values -> distinct(values).size() >= expected, wait));
    }

    private static List<PipelineEvent> distinct(List<String> values) {
        Map<UUID, PipelineEvent> byId = new LinkedHashMap<>();
        values.stream().map(EventJson::read).forEach(event -> byId.putIfAbsent(event.eventId(), event));
        return List.copyOf(byId.values());
    }

    private static List<String> readUntil(String bootstrapServers, String topic, String key,
                                          Predicate<List<String>> done, Duration wait) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            if (!wait.isZero()) {
                try {
                    await().atMost(wait).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).until(() -> {
                        collect(consumer, key, values, Duration.ofMillis(200));
                        return done.test(values);
                    });
                } catch (ConditionTimeoutException fewerArrived) {
                    // the caller asserts on what did arrive
                }
            }
            // Drain everything the topic holds now, so a caller expecting N sees N+1 when one too many was sent.
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                    .until(() -> {
                        collect(consumer, key, values, Duration.ofMillis(100));
                        return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
                    });
        }
        return values;
    }

    private static void collect(KafkaConsumer<String, String> consumer, String key, List<String> values,
                                Duration poll) {
        for (ConsumerRecord<String, String> record : consumer.poll(poll)) {
            if (key == null || key.equals(record.key())) {
                values.add(record.value());
            }
        }
    }
}
