package io.stagetune.localstack.cli;

import io.stagetune.localstack.infrastructure.EmbeddedKafka;
import io.stagetune.testsupport.TopicEvents;
import io.stagetune.common.events.EpochCompleted;
import io.stagetune.common.events.EvaluationCompleted;
import io.stagetune.common.events.Stage;
import io.stagetune.common.events.StageCommand;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class WatchCommandTest {

    @Test
    void followsOneRunUntilItsPromotionDecision() {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            String servers = kafka.bootstrapServers();
            TopicEvents.publish(servers, StageCommand.first("run-7", "fashion", "shop", 2, List.of(Stage.HEAD),
                    "s3://checkpoints/_backbones/b.pt", Map.of()));
            TopicEvents.publish(servers, new EpochCompleted(UUID.randomUUID(), 1, Instant.now(), "other-run",
                    "fashion", Stage.HEAD, 1, 5, 9.9, 0.1, 0.1, 10, 100, true));
            TopicEvents.publish(servers, new EpochCompleted(UUID.randomUUID(), 1, Instant.now(), "run-7",
                    "fashion", Stage.HEAD, 1, 5, 0.4321, 0.8, 0.75, 123.4, 100, true));
            TopicEvents.publish(servers, new EvaluationCompleted(UUID.randomUUID(), 1, Instant.now(), "run-7",
                    "fashion", Stage.HEAD, "s3://checkpoints/fashion/run-7/head/", 3, "shop", 2, 200, 0.91, 0.9,
                    Map.of(), new EvaluationCompleted.Promotion(false, 3, 2L, List.of("class coat drops 0.08"))));

            StringWriter output = new StringWriter();
            int exit = new CommandLine(new PipelineCommand()).setOut(new PrintWriter(output))
                    .execute("watch", "run-7", "--kafka", servers, "--timeout", "PT30S");

            assertThat(exit).isZero();
            assertThat(output.toString())
                    .contains("stage HEAD (1/1) queued")
                    .contains("HEAD   epoch  1/5  loss 0.4321  train acc 0.800  val acc 0.750   123.4 img/s  *best")
                    .contains("test accuracy 0.9100").contains("not promoted").contains("- class coat drops 0.08")
                    .doesNotContain("9.9");
        }
    }
}
