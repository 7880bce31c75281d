package io.stagetune.trainer.planner;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stagetune.common.Topics;
import io.stagetune.common.dataset.DatasetVersion;
import io.stagetune.localstack.infrastructure.EmbeddedKafka;
import io.stagetune.localstack.infrastructure.EmbeddedS3;
import io.stagetune.testsupport.InjectKafka;
import io.stagetune.testsupport.InjectS3;
import io.stagetune.testsupport.KafkaTestResource;
import io.stagetune.testsupport.S3TestResource;
import io.stagetune.testsupport.TopicEvents;
import io.stagetune.common.events.DatasetVersionCreated;
import io.stagetune.common.events.EventJson;
import io.stagetune.common.events.PipelineEvent;
import io.stagetune.common.events.Split;
import io.stagetune.common.events.Stage;
import io.stagetune.common.events.StageCommand;
import io.stagetune.common.storage.ObjectKeys;
import io.stagetune.common.storage.ObjectStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@io.quarkus.test.junit.TestProfile(PlannerOnlyProfile.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(S3TestResource.class)
class RetrainPlannerTest {

    @InjectKafka
    EmbeddedKafka kafka;

    @InjectS3
    EmbeddedS3 s3;

    @Test
    void aBurstOfVersionsYieldsOneRunAndNoVersionIsTrainedTwice() {
        // model "fashion" trains on dataset "shop"; threshold 10 new training images, debounce 2 s (test profile)
        for (int version = 1; version <= 5; version++) {
            TopicEvents.publish(kafka.bootstrapServers(), version("shop", version, Map.of("coat", 10 * version)));
        }
        List<StageCommand> commands = commandsFor("fashion.shop.v5", 1, Duration.ofSeconds(20));
        assertThat(commands).hasSize(1);
        StageCommand head = commands.get(0);
        assertThat(head.stage()).isEqualTo(Stage.HEAD);
        assertThat(head.plan()).containsExactly(Stage.HEAD, Stage.LAYER4, Stage.FULL);
        assertThat(head.datasetVersion()).isEqualTo(5);
        assertThat(head.baseBackbone()).isEqualTo("s3://checkpoints/_backbones/resnet-tiny.pt");
        assertThat(commandsFor("fashion.shop.v1", 0, Duration.ZERO)).isEmpty();

        // Redelivered and older versions start nothing; nor does a version below the threshold.
        TopicEvents.publish(kafka.bootstrapServers(), version("shop", 5, Map.of("coat", 50)));
        TopicEvents.publish(kafka.bootstrapServers(), version("shop", 3, Map.of("coat", 30)));
        TopicEvents.publish(kafka.bootstrapServers(), version("shop", 6, Map.of("coat", 55)));
        // A new label is reason enough.
        TopicEvents.publish(kafka.bootstrapServers(), version("shop", 7, Map.of("coat", 55, "bag", 1)));
        List<StageCommand> later = commandsFor("fashion.shop.v7", 1, Duration.ofSeconds(20));
        assertThat(later).hasSize(1);
        assertThat(commandsFor("fashion.shop.v5", 1, Duration.ZERO)).hasSize(1);
        assertThat(commandsFor("fashion.shop.v6", 0, Duration.ZERO)).isEmpty();
        assertThat(commandsFor("fashion.shop.v3", 0, Duration.ZERO)).isEmpty();

        List<String> runs = given().get("/runs").jsonPath().getList("runId");
        assertThat(runs).containsSubsequence("fashion.shop.v5", "fashion.shop.v7").doesNotContain("fashion.shop.v6");
        assertThat(given().get("/runs/fashion.shop.v7").jsonPath().getString("trigger")).contains("new labels [bag]");
        assertThat(given().get("/runs/fashion.shop.v7").jsonPath().getBoolean("started")).isTrue();
    }

    @Test
    void manualTriggerStartsARunOnceAndNeedsARole() {
        ObjectStore store = new ObjectStore(s3.settings());
        store.ensureBucket("datasets");
        DatasetVersion summary = new DatasetVersion("other", 1, null, Instant.now(),
                ObjectKeys.manifest("other", 1), 3, List.of("sandal"), Map.of("sandal", Map.of(Split.TRAIN, 3)),
                Map.of(Split.TRAIN, 3), List.of("sandal"), null);
        store.put("datasets", ObjectKeys.versionSummary("other", 1), EventJson.writeBytes(summary),
                "application/json");

        given().contentType("application/json").body("{\"model\":\"sandals\"}").post("/runs").then().statusCode(401);
        given().header("Authorization", "Bearer test-admin-token").contentType("application/json")
                .body("{\"model\":\"sandals\"}").post("/runs").then().statusCode(201);
        given().header("Authorization", "Bearer test-admin-token").contentType("application/json")
                .body("{\"model\":\"sandals\",\"datasetVersion\":1}").post("/runs").then().statusCode(409);
        given().header("Authorization", "Bearer test-admin-token").contentType("application/json")
                .body("{\"model\":\"nope\"}").post("/runs").then().statusCode(404);

        List<StageCommand> commands = commandsFor("sandals.other.v1", 1, Duration.ofSeconds(10));
        assertThat(commands).hasSize(1);
        assertThat(commands.get(0).plan()).containsExactly(Stage.FULL);
        assertThat(given().get("/runs/sandals.other.v1").jsonPath().getString("trigger"))
                .isEqualTo("manual by admin");
    }

    @Test
    void malformedDatasetEventsGoToTheDeadLetterTopic() {
        TopicEvents.publish(kafka.bootstrapServers(), Topics.DATASET_EVENTS, "broken", "{not json");
        assertThat(TopicEvents.readRaw(kafka.bootstrapServers(), Topics.deadLetter(Topics.DATASET_EVENTS), "broken",
                1, Duration.ofSeconds(20))).containsExactly("{not json");
    }

    private List<StageCommand> commandsFor(String runId, int expected, Duration wait) {
        List<PipelineEvent> events = TopicEvents.read(kafka.bootstrapServers(), Topics.TRAINING_COMMANDS, runId,
                expected, wait);
        return events.stream().map(StageCommand.class::cast).toList();
    }

    private static DatasetVersionCreated version(String dataset, int version, Map<String, Integer> trainPerLabel) {
        Map<String, Map<Split, Integer>> counts = new TreeMap<>();
        trainPerLabel.forEach((label, count) -> counts.put(label, Map.of(Split.TRAIN, count, Split.TEST, 2)));
        int images = counts.values().stream().mapToInt(c -> c.values().stream().mapToInt(i -> i).sum()).sum();
        return new DatasetVersionCreated(UUID.randomUUID(), 1, Instant.now(), dataset, version,
                version == 1 ? null : version - 1, ObjectKeys.manifest(dataset, version),
                List.copyOf(counts.keySet()), counts, images, Map.of(Split.TRAIN, 10), List.of());
    }
}
