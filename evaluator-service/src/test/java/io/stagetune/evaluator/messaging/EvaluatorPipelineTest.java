package io.stagetune.evaluator.messaging;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stagetune.common.Topics;
import io.stagetune.testsupport.TopicEvents;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The pipeline scenarios with the registry on H2, and what does not involve the registry. */
@QuarkusTest
@WithTestResource(PipelineTestResource.class)
class EvaluatorPipelineTest extends EvaluatorPipelineScenarios {

    @Test
    @Order(5)
    void malformedCheckpointEventsGoToTheDeadLetterTopic() {
        TopicEvents.publish(kafka.bootstrapServers(), Topics.TRAINING_CHECKPOINTS, "junk", "not an event");
        assertThat(TopicEvents.readRaw(kafka.bootstrapServers(), Topics.deadLetter(Topics.TRAINING_CHECKPOINTS),
                "junk", 1, Duration.ofSeconds(30))).containsExactly("not an event");
    }
}
