package io.stagetune.trainer.worker;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stagetune.common.Topics;
import io.stagetune.common.checkpoint.CheckpointManifest;
import io.stagetune.common.checkpoint.HeadWeights;
import io.stagetune.common.checkpoint.WarmStart;
import io.stagetune.localstack.infrastructure.EmbeddedKafka;
import io.stagetune.localstack.infrastructure.EmbeddedS3;
import io.stagetune.testsupport.InjectKafka;
import io.stagetune.testsupport.InjectS3;
import io.stagetune.testsupport.KafkaTestResource;
import io.stagetune.testsupport.PrometheusText;
import io.stagetune.testsupport.S3TestResource;
import io.stagetune.testsupport.TopicEvents;
import io.stagetune.common.events.CheckpointPublished;
import io.stagetune.common.events.EpochCompleted;
import io.stagetune.common.events.PipelineEvent;
import io.stagetune.common.events.Stage;
import io.stagetune.common.events.StageCommand;
import io.stagetune.common.storage.ObjectStore;
import io.stagetune.trainer.lease.StageLeases;
import io.stagetune.trainer.training.ImageShape;
import io.stagetune.trainer.training.StageModel;
import ai.djl.engine.Engine;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Stage workers through a real broker and store, training the tiny backbone on the Fashion-MNIST sample. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(S3TestResource.class)
class StageWorkerTest {

    private static final List<String> LABELS = List.of("bag", "sneaker", "trouser", "t-shirt");
    private static final Map<String, String> FAST = Map.of("headLearningRate", "0.02",
            "backboneLearningRate", "0.01", "maxEpochs", "3", "patience", "3", "preprocessing.resize", "28",
            "preprocessing.crop", "28", "preprocessing.minCropScale", "0.5");

    @InjectKafka
    EmbeddedKafka kafka;

    @InjectS3
    EmbeddedS3 s3;

    @Inject
    StageExecutor executor;

    @Inject
    StageLeases leases;

    @Test
    void aRunTrainsHeadThenLayer4ThenFullWithLineage() throws Exception {
        ObjectStore store = prepare("shop-run");
        StageCommand head = StageCommand.first("run-full-plan", "fashion", "shop-run", 1, Stage.DEFAULT_PLAN,
                TrainingDataset.BACKBONE_URI, FAST);
        TopicEvents.publish(kafka.bootstrapServers(), head);

        List<CheckpointPublished> published = checkpoints("run-full-plan", 3, Duration.ofMinutes(4));
        assertThat(published).extracting(CheckpointPublished::stage)
                .containsExactly(Stage.HEAD, Stage.LAYER4, Stage.FULL);
        assertThat(published).extracting(CheckpointPublished::lastStage).containsExactly(false, false, true);
        assertThat(published.get(0).parentCheckpoint()).isNull();
        assertThat(published.get(1).parentCheckpoint()).isEqualTo(published.get(0).checkpoint());
        assertThat(published.get(2).parentCheckpoint()).isEqualTo(published.get(1).checkpoint());
        assertThat(published.get(0).checkpoint()).isEqualTo("s3://checkpoints/fashion/run-full-plan/head/");
        for (CheckpointPublished checkpoint : published) {
            assertThat(checkpoint.labels()).containsExactlyElementsOf(LABELS.stream().sorted().toList());
            assertThat(checkpoint.valAccuracy()).as("val accuracy of %s", checkpoint.stage()).isGreaterThan(0.5);
            String prefix = checkpoint.checkpoint().substring("s3://checkpoints/".length());
            assertThat(store.list("checkpoints", prefix)).containsExactlyInAnyOrder(
                    prefix + "backbone.pt", prefix + "head.safetensors", prefix + "metrics.json",
                    prefix + "checkpoint.json");
            CheckpointManifest manifest = TrainingDataset.manifest(store, checkpoint.checkpoint());
            assertThat(manifest.datasetVersion()).isEqualTo(1);
            assertThat(manifest.preprocessing().crop()).isEqualTo(28);
            assertThat(manifest.parentCheckpoint()).isEqualTo(checkpoint.parentCheckpoint());
        }
        List<PipelineEvent> progress = TopicEvents.read(kafka.bootstrapServers(), Topics.TRAINING_PROGRESS,
                "run-full-plan", 9, Duration.ofSeconds(10));
        assertThat(progress).hasSize(9).allSatisfy(event -> assertThat(((EpochCompleted) event).maxEpochs())
                .isEqualTo(3));
        List<PipelineEvent> commands = TopicEvents.read(kafka.bootstrapServers(), Topics.TRAINING_COMMANDS,
                "run-full-plan", 3, Duration.ofSeconds(5));
        assertThat(commands).extracting(event -> ((StageCommand) event).stage())
                .as("no command after the plan's last stage").containsExactly(Stage.HEAD, Stage.LAYER4, Stage.FULL);

        String metrics = io.restassured.RestAssured.get("/q/metrics").asString();
        for (Stage stage : Stage.DEFAULT_PLAN) {
            String labels = "{model=\"fashion\",stage=\"" + stage + "\"}";
            assertThat(metrics).contains("trainer_epoch_val_accuracy" + labels)
                    .contains("trainer_epoch_loss" + labels).contains("trainer_epoch_images_per_second" + labels)
                    .contains("trainer_stage_duration_seconds_count" + labels)
                    .contains("trainer_epochs_total" + labels + " 3.0");
        }
        assertThat(metrics).contains("trainer_commands_in_flight");
        // The test budget (50K) is below one stage's images, decoded images and features (~300K): every stage is
        // followed by evictions, and LAYER4 and FULL trained on images fetched and decoded again.
        assertThat(PrometheusText.value(metrics, "trainer_cache_max_bytes")).isEqualTo(50 * 1024);
        assertThat(PrometheusText.value(metrics, "trainer_cache_evicted_bytes_total")).isPositive();
        assertThat(PrometheusText.value(metrics, "trainer_cache_bytes")).isPositive()
                .isLessThanOrEqualTo(50 * 1024 * 0.9);
    }

    @Test
    void aWorkerKilledAfterAnEpochIsResumedByTheRedeliveredCommandAndDuplicatesDoNotRetrain() throws Exception {
        ObjectStore store = prepare("shop-crash");
        Map<String, String> fourEpochs = new java.util.HashMap<>(FAST);
        fourEpochs.put("maxEpochs", "4");
        fourEpochs.put("patience", "4");
        StageCommand command = StageCommand.first("run-crash", "fashion", "shop-crash", 1, List.of(Stage.HEAD),
                TrainingDataset.BACKBONE_URI, fourEpochs);

        // The first worker dies after its second epoch checkpoint is durable: no checkpoint, no commit.
        // (on a thread of its own, as a worker's would be)
        var crashed = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                executor.execute(command, leases.acquire(command).lease(), (c, report, max) -> {
                    if (report.epoch() == 2) {
                        throw new SimulatedCrash();
                    }
                });
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThatThrownBy(crashed::join).hasCauseInstanceOf(SimulatedCrash.class);
        assertThat(store.list("checkpoints", "fashion/run-crash/head/"))
                .contains("fashion/run-crash/head/attempts/1/epoch-2/progress.json")
                .doesNotContain("fashion/run-crash/head/checkpoint.json");

        // The broker redelivers the uncommitted command to another worker; its attempt is the next one.
        TopicEvents.publish(kafka.bootstrapServers(), command);
        List<CheckpointPublished> published = checkpoints("run-crash", 1, Duration.ofMinutes(2));
        assertThat(published).hasSize(1);
        List<PipelineEvent> epochs = TopicEvents.read(kafka.bootstrapServers(), Topics.TRAINING_PROGRESS,
                "run-crash", 2, Duration.ofSeconds(10));
        assertThat(epochs).extracting(event -> ((EpochCompleted) event).epoch())
                .as("the redelivered command resumes after epoch 2").containsExactly(3, 4);
        assertThat(store.list("checkpoints", "fashion/run-crash/head/")).containsExactlyInAnyOrder(
                "fashion/run-crash/head/backbone.pt", "fashion/run-crash/head/head.safetensors",
                "fashion/run-crash/head/metrics.json", "fashion/run-crash/head/checkpoint.json");

        // A duplicate of the finished command republishes the result without training.
        TopicEvents.publish(kafka.bootstrapServers(), command);
        List<CheckpointPublished> again = checkpoints("run-crash", 2, Duration.ofSeconds(60));
        assertThat(again).hasSize(2);
        assertThat(again.get(1).eventId()).isEqualTo(again.get(0).eventId());
        assertThat(TopicEvents.read(kafka.bootstrapServers(), Topics.TRAINING_PROGRESS, "run-crash", 3,
                Duration.ofSeconds(3))).hasSize(2);
    }

    @Test
    void aWarmStartBeginsFromProductionsBackboneWithItsHeadRowsMatchedToTheNewLabels() throws Exception {
        ObjectStore store = prepare("shop-production");
        Map<String, String> oneEpoch = new HashMap<>(FAST);
        oneEpoch.put("maxEpochs", "1");
        StageCommand trained = StageCommand.first("run-production", "fashion", "shop-production", 1,
                List.of(Stage.HEAD), TrainingDataset.BACKBONE_URI, oneEpoch);
        String production = executor.execute(trained, leases.acquire(trained).lease(), (c, report, max) -> { })
                .uri();
        // The next version drops bag and brings sandal. A head learning rate of 0 keeps the weights the stage
        // started from, so its checkpoint shows them.
        List<String> next = List.of("sandal", "sneaker", "trouser");
        TrainingDataset.create(store, "shop-next", 1, next);
        Map<String, String> unchanged = new HashMap<>(oneEpoch);
        unchanged.put("headLearningRate", "0");
        StageCommand warm = StageCommand.first("run-warm", "fashion", "shop-next", 1, List.of(Stage.HEAD),
                TrainingDataset.BACKBONE_URI, unchanged, new WarmStart(7, production));
        String started = executor.execute(warm, leases.acquire(warm).lease(), (c, report, max) -> { }).uri();

        CheckpointManifest manifest = TrainingDataset.manifest(store, started);
        assertThat(manifest.labels()).as("the new version's labels, in its order").containsExactlyElementsOf(next);
        assertThat(manifest.warmStart()).isEqualTo(new WarmStart(7, production));
        assertThat(manifest.parentCheckpoint()).as("lineage: started from production").isEqualTo(production);
        assertThat(manifest.preprocessing()).isEqualTo(TrainingDataset.manifest(store, production).preprocessing());
        Path work = Files.createTempDirectory("warm-start");
        HeadWeights before = head(store, production, work.resolve("production.safetensors"));
        HeadWeights after = head(store, started, work.resolve("warm.safetensors"));
        assertThat(after.labels()).containsExactlyElementsOf(next).doesNotContain("bag");
        for (String known : List.of("sneaker", "trouser")) {
            assertThat(row(after, known)).as("row of %s, bit for bit", known).isEqualTo(row(before, known));
            assertThat(after.bias()[after.labels().indexOf(known)])
                    .isEqualTo(before.bias()[before.labels().indexOf(known)]);
        }
        ImageShape shape = new ImageShape(3, 28, 28);
        Path baseBackbone = work.resolve("base.pt");
        Path productionBackbone = work.resolve("production.pt");
        Path warmBackbone = work.resolve("warm.pt");
        store.download("checkpoints", "_backbones/resnet-tiny.pt", baseBackbone);
        store.download("checkpoints", key(production) + CheckpointManifest.BACKBONE_FILE, productionBackbone);
        store.download("checkpoints", key(started) + CheckpointManifest.BACKBONE_FILE, warmBackbone);
        Engine.getInstance().setRandomSeed(42);
        try (StageModel fresh = StageModel.load(baseBackbone, shape, next, null);
             StageModel fromProduction = StageModel.load(productionBackbone, shape, next, null);
             StageModel fromWarm = StageModel.load(warmBackbone, shape, next, null)) {
            assertThat(row(after, "sandal")).as("a new label's row is a fresh head's")
                    .isEqualTo(row(fresh.headWeights(), "sandal"));
            assertThat(parameters(fromWarm)).as("the backbone is production's").isEqualTo(parameters(fromProduction));
        }
    }

    @Test
    void malformedAndInvalidCommandsGoToTheDeadLetterTopicAndTheWorkerCarriesOn() throws Exception {
        ObjectStore store = new ObjectStore(s3.settings());
        TrainingDataset.uploadBackbone(store);
        // Only train and test images: the worker holds out a tenth of train for validation.
        TrainingDataset.create(store, "shop-dlq", 1, LABELS, false);
        TopicEvents.publish(kafka.bootstrapServers(), Topics.TRAINING_COMMANDS, "garbage", "{\"type\":\"StageCommand\"");
        StageCommand unknownVersion = StageCommand.first("run-missing", "fashion", "shop-dlq", 9,
                List.of(Stage.HEAD), TrainingDataset.BACKBONE_URI, FAST);
        TopicEvents.publish(kafka.bootstrapServers(), unknownVersion);
        StageCommand good = StageCommand.first("run-after-dlq", "fashion", "shop-dlq", 1, List.of(Stage.HEAD),
                TrainingDataset.BACKBONE_URI, FAST);
        TopicEvents.publish(kafka.bootstrapServers(), good);

        assertThat(checkpoints("run-after-dlq", 1, Duration.ofMinutes(2))).hasSize(1);
        String dlq = Topics.deadLetter(Topics.TRAINING_COMMANDS);
        assertThat(TopicEvents.readRaw(kafka.bootstrapServers(), dlq, "garbage", 1, Duration.ofSeconds(10)))
                .hasSize(1);
        assertThat(TopicEvents.readRaw(kafka.bootstrapServers(), dlq, "run-missing", 1, Duration.ofSeconds(10)))
                .hasSize(1);
    }

    private ObjectStore prepare(String datasetId) throws Exception {
        ObjectStore store = new ObjectStore(s3.settings());
        TrainingDataset.uploadBackbone(store);
        TrainingDataset.create(store, datasetId, 1, LABELS);
        return store;
    }

    private static HeadWeights head(ObjectStore store, String checkpoint, Path file) throws Exception {
        store.download("checkpoints", key(checkpoint) + CheckpointManifest.HEAD_FILE, file);
        return HeadWeights.read(file);
    }

    private static float[] row(HeadWeights head, String label) {
        int row = head.labels().indexOf(label);
        return Arrays.copyOfRange(head.weight(), row * head.features(), (row + 1) * head.features());
    }

    private static Map<String, List<Float>> parameters(StageModel model) {
        Map<String, List<Float>> values = new HashMap<>();
        model.backboneParameters().forEach((name, parameter) -> {
            float[] array = parameter.getArray().toFloatArray();
            List<Float> boxed = new java.util.ArrayList<>(array.length);
            for (float value : array) {
                boxed.add(value);
            }
            values.put(name, boxed);
        });
        return values;
    }

    private static String key(String checkpointUri) {
        return checkpointUri.substring("s3://checkpoints/".length());
    }

    private List<CheckpointPublished> checkpoints(String runId, int expected, Duration wait) {
        return TopicEvents.read(kafka.bootstrapServers(), Topics.TRAINING_CHECKPOINTS, runId, expected, wait)
                .stream().map(CheckpointPublished.class::cast).toList();
    }

    private static final class SimulatedCrash extends RuntimeException {
    }
}
