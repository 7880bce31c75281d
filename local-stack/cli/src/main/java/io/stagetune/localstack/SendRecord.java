package io.stagetune.localstack;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * Sends one record as it is, for checks that need traffic the services never produce themselves (a malformed
 * command that must reach a dead-letter topic): {@code SendRecord <bootstrap> <topic> <key> <value>}.
 */
public final class SendRecord {

    private SendRecord() {
    }

    public static void main(String[] args) throws InterruptedException, ExecutionException {
        if (args.length != 4) {
            System.err.println("usage: SendRecord <bootstrap servers> <topic> <key> <value>");
            System.exit(2);
        }
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0],
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            producer.send(new ProducerRecord<>(args[1], args[2], args[3])).get();
        }
    }
}
