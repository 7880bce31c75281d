package io.stagetune.testsupport;

import io.stagetune.common.events.AliasMoved;
import io.stagetune.common.events.PipelineEvent;
import io.stagetune.localstack.infrastructure.EmbeddedKafka;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class TopicEventsTest {

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
    void readDistinctSeesEachEventOnceAsAnIdempotentConsumerWould() {
        AliasMoved first = new AliasMoved(UUID.randomUUID(), PipelineEvent.SCHEMA_VERSION, Instant.EPOCH, "twice",
                "production", null, 1L, "evaluator", "first");
        AliasMoved second = new AliasMoved(UUID.randomUUID(), PipelineEvent.SCHEMA_VERSION, Instant.EPOCH, "twice",
                "production", 1L, 2L, "evaluator", "second");
        // An at-least-once producer whose acknowledgement was lost sends the first event again.
        TopicEvents.publish(kafka.bootstrapServers(), first);
        TopicEvents.publish(kafka.bootstrapServers(), first);
        TopicEvents.publish(kafka.bootstrapServers(), second);

        assertThat(TopicEvents.read(kafka.bootstrapServers(), first.topic(), "twice", 3, WAIT)).hasSize(3);
        assertThat(TopicEvents.readDistinct(kafka.bootstrapServers(), first.topic(), "twice", 2, WAIT))
                .containsExactly(first, second);
    }
}
