package io.stagetune.common.events;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventJsonTest {

    private static final Instant AT = Instant.parse("2026-11-22T10:15:30Z");

    static List<PipelineEvent> oneOfEach() {
        StageCommand first = StageCommand.first("run-1", "fashion", "shop", 3, Stage.DEFAULT_PLAN,
                "s3://models/resnet18.pt", Map.of("epochs", "5"));
        return List.of(
                new ImagesIngested(UUID.randomUUID(), 1, AT, "shop", "upload-1", 3, 10, 2, 1,
                        Map.of("coat", 6, "bag", 4), Map.of(Split.TRAIN, 8, Split.TEST, 2)),
                new DatasetVersionCreated(UUID.randomUUID(), 1, AT, "shop", 3, 2, "shop/manifests/v3.jsonl",
                        List.of("bag", "coat"), Map.of("bag", Map.of(Split.TRAIN, 4), "coat", Map.of(Split.VAL, 1)),
                        5, Map.of(Split.TRAIN, 4), List.of("coat")),
                first,
                first.next("s3://checkpoints/fashion/run-1/head/"),
                new EpochCompleted(UUID.randomUUID(), 1, AT, "run-1", "fashion", Stage.HEAD, 2, 10, 0.52, 0.81, 0.8,
                        123.4, 5000, true),
                new CheckpointPublished(UUID.randomUUID(), 1, AT, "run-1", "fashion", "shop", 3, Stage.DEFAULT_PLAN, 0,
                        Stage.HEAD, false, "s3://checkpoints/fashion/run-1/head/", null, "s3://models/resnet18.pt",
                        List.of("bag", "coat"), 4, 0.9),
                new EvaluationCompleted(UUID.randomUUID(), 1, AT, "run-1", "fashion", Stage.FULL,
                        "s3://checkpoints/fashion/run-1/full/", 7, "shop", 3, 200, 0.93, 0.92,
                        Map.of("bag", 0.95, "coat", 0.91),
                        new EvaluationCompleted.Promotion(true, 7, 5L, List.of("accuracy +0.02 >= 0.01"))),
                new ModelPromoted(UUID.randomUUID(), 1, AT, "fashion", 7, 5L, "evaluator", "beats production"),
                new AliasMoved(UUID.randomUUID(), 1, AT, "fashion", "production", 5L, 7L, "evaluator", "promotion"),
                new PredictionMade(UUID.randomUUID(), 1, AT, UUID.randomUUID(), "fashion", 7, "production",
                        List.of(new PredictionMade.ImagePrediction("ab12", List.of(
                                new PredictionMade.LabelProbability("coat", 0.9),
                                new PredictionMade.LabelProbability("bag", 0.1)), true)), 12.5, "shop",
                        new PredictionMade.Shadow(8, "shadow", List.of(new PredictionMade.LabelProbability("bag",
                                0.6)))));
    }

    @Test
    void everyEventRoundTripsWithTypeAndSchemaVersion() {
        for (PipelineEvent event : oneOfEach()) {
            String json = EventJson.write(event);
            assertThat(json).contains("\"type\":\"" + event.getClass().getSimpleName() + "\"")
                    .contains("\"schemaVersion\":1").contains("\"eventId\"").contains("\"occurredAt\"");
            assertThat(EventJson.read(json)).isEqualTo(event);
            assertThat(EventJson.read(json, event.getClass())).isEqualTo(event);
        }
    }

    @Test
    void everyEventTypeIsCovered() {
        assertThat(oneOfEach().stream().map(Object::getClass).distinct())
                .containsExactlyInAnyOrder(PipelineEvent.class.getPermittedSubclasses());
    }

    @Test
    void unknownFieldsAreIgnored() {
        String json = EventJson.write(oneOfEach().get(0)).replaceFirst("\\{", "{\"addedLater\":{\"x\":[1,2]},");
        ImagesIngested read = EventJson.read(json, ImagesIngested.class);
        assertThat(read.datasetId()).isEqualTo("shop");
        assertThat(read.acceptedPerSplit()).containsEntry(Split.TRAIN, 8);
    }

    @Test
    void aPredictionWrittenBeforeDatasetAndShadowReadsWithoutThem() {
        PredictionMade old = new PredictionMade(UUID.randomUUID(), 1, AT, UUID.randomUUID(), "fashion", 7,
                "production", List.of(), 3.0);
        String json = EventJson.write(old).replace(",\"datasetId\":null", "").replace(",\"shadow\":null", "");
        assertThat(json).doesNotContain("datasetId").doesNotContain("shadow");
        PredictionMade read = EventJson.read(json, PredictionMade.class);
        assertThat(read.datasetId()).isNull();
        assertThat(read.shadow()).isNull();
        assertThat(read).isEqualTo(old);
    }

    @Test
    void splitsAreWrittenLowerCase() {
        assertThat(EventJson.write(oneOfEach().get(0))).contains("\"train\":8");
    }

    @Test
    void malformedMessagesAreRejectedWithTheReason() {
        assertThatThrownBy(() -> EventJson.read("not json", StageCommand.class))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("StageCommand");
        assertThatThrownBy(() -> EventJson.read("{\"runId\":\"r\"}", StageCommand.class))
                .isInstanceOf(MalformedEventException.class);
        String ingested = EventJson.write(oneOfEach().get(0));
        assertThatThrownBy(() -> EventJson.read(ingested, StageCommand.class))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("got ImagesIngested");
        String badIndex = EventJson.write(oneOfEach().get(2)).replace("\"stageIndex\":0", "\"stageIndex\":7");
        assertThatThrownBy(() -> EventJson.read(badIndex, StageCommand.class))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("stageIndex 7");
    }

    @Test
    void stageCommandWalksThePlan() {
        StageCommand head = (StageCommand) oneOfEach().get(2);
        StageCommand layer4 = head.next("s3://checkpoints/fashion/run-1/head/");
        StageCommand full = layer4.next("s3://checkpoints/fashion/run-1/layer4/");
        assertThat(List.of(head.stage(), layer4.stage(), full.stage())).containsExactly(Stage.HEAD, Stage.LAYER4,
                Stage.FULL);
        assertThat(full.parentCheckpoint()).endsWith("/layer4/");
        assertThat(full.isLastStage()).isTrue();
        assertThat(head.key()).isEqualTo("run-1");
        assertThatThrownBy(() -> full.next("x")).isInstanceOf(IllegalStateException.class);
    }
}
