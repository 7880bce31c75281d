package io.stagetune.ingest;

import io.stagetune.common.Topics;
import io.stagetune.common.events.EventJson;
import io.stagetune.common.events.PipelineEvent;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads {@code dataset-events} from the beginning, as a downstream consumer would. */
public final class DatasetEventsReader {

    private DatasetEventsReader() {
    }

    /** Every event keyed by {@code datasetId}, polling until {@code expected} arrived or {@code wait} passed. */
    public static List<PipelineEvent> read(String bootstrapServers, String datasetId, int expected, Duration wait) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<PipelineEvent> events = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.DATASET_EVENTS).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + wait.toNanos();
            do {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (datasetId.equals(record.key())) {
                        events.add(EventJson.read(record.value()));
                    }
                }
            } while (events.size() < expected && System.nanoTime() < deadline);
            // Drain what is already there, so a test that expects N sees N+1 if one too many was sent.
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(300))) {
                if (datasetId.equals(record.key())) {
                    events.add(EventJson.read(record.value()));
                }
            }
        }
        return events;
    }
}
