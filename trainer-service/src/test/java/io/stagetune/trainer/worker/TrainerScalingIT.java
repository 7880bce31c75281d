package io.stagetune.trainer.worker;

import io.restassured.path.json.JsonPath;
import io.stagetune.common.Topics;
import io.stagetune.common.events.CheckpointPublished;
import io.stagetune.common.events.DatasetVersionCreated;
import io.stagetune.common.events.EpochCompleted;
import io.stagetune.common.events.PipelineEvent;
import io.stagetune.common.events.Split;
import io.stagetune.common.events.Stage;
import io.stagetune.common.events.StageCommand;
import io.stagetune.common.storage.ObjectKeys;
import io.stagetune.common.storage.ObjectStore;
import io.stagetune.localstack.infrastructure.EmbeddedKafka;
import io.stagetune.localstack.infrastructure.EmbeddedS3;
import io.stagetune.testsupport.RegistryProcess;
import io.stagetune.testsupport.TopicEvents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scale-out and scale-in of trainer workers: the trainer's packaged build as three and four processes in consumer
 * group {@code trainers}, the registry (its packaged build, on H2) holding the stage leases and the runs, the
 * in-process broker and S3Proxy, training the tiny backbone on the Fashion-MNIST sample. The scenarios follow each
 * other on the same workers: workers join while a stage trains; the worker training a stage is killed; the worker
 * training a stage is stopped with SIGTERM; trainers join and leave while the planner debounces a dataset version.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrainerScalingIT {

    static final int PARTITIONS = Topics.partitions().get(Topics.TRAINING_COMMANDS);
    private static final List<String> LABELS = List.of("bag", "sneaker", "trouser", "t-shirt");
    private static final Duration DEBOUNCE = Duration.ofSeconds(20);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(40);

    private static EmbeddedKafka kafka;
    private static EmbeddedS3 s3;
    private static RegistryProcess registry;
    private static TrainerWorkers workers;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults()
                .withBrokerProperty("group.initial.rebalance.delay.ms", "0"));
        s3 = EmbeddedS3.start();
        Path repository = TrainingDataset.repositoryFile("fixtures").getParent();
        registry = RegistryProcess.start(repository, RegistryProcess.Database.H2, kafka.bootstrapServers());
        ObjectStore store = new ObjectStore(s3.settings());
        TrainingDataset.uploadBackbone(store);
        TrainingDataset.create(store, "scaling", 1, LABELS);
        TrainingDataset.create(store, "planned", 1, LABELS);
        Map<String, String> properties = new HashMap<>(Map.of(
                "trainer.worker.lease.ttl", "5s",
                "trainer.worker.lease.wait-for-holder", "2s",
                "trainer.worker.lease.check-every", "500ms",
                "trainer.worker.stop-timeout", "30s",
                "trainer.planner.debounce", DEBOUNCE.toSeconds() + "s",
                "trainer.planner.min-new-images", "1",
                "trainer.models.planned.dataset", "planned",
                "trainer.models.planned.base-backbone", TrainingDataset.BACKBONE_URI,
                "trainer.models.planned.plan", "HEAD"));
        hyperparameters(2, 28).forEach((key, value) ->
                properties.put("trainer.models.planned.hyperparameters.\"" + key + "\"", value));
        workers = new TrainerWorkers(kafka, s3, registry, Files.createTempDirectory("trainer-scaling-"), properties);
    }

    @AfterAll
    static void stop() {
        if (workers != null) {
            workers.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    @Order(1)
    void workersJoiningWhileAStageTrainsLeaveItToItsWorkerAndTrainWhatLandsOnTheirPartitions() throws Exception {
        workers.start("worker-a");
        workers.awaitReady("worker-a");
        awaitGroup(1);
        // B and C start now but reach the broker only when the gate opens, so they join while the stage trains
        // however long their JVMs took to start.
        BrokerGate gate = new BrokerGate(kafka.bootstrapServers());
        workers.start("worker-b", gate.address());
        workers.start("worker-c", gate.address());
        workers.awaitStarted("worker-b", "worker-c");
        // Cooperative sticky assignment keeps a member's first partitions: the last one moves to a newcomer.
        String running = TrainerWorkers.runIdOn("scale-out", PARTITIONS - 1);
        int partition = TrainerWorkers.partitionOf(running);
        int epochs = 30;
        StageCommand full = command(running, "scale", List.of(Stage.FULL), hyperparameters(epochs, 40));
        createRun(full);
        TopicEvents.publish(kafka.bootstrapServers(), full);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> leaseOwner(running, Stage.FULL).equals("worker-a"));
        // Another command lands on the same partition, behind the one in flight.
        String landing = TrainerWorkers.runIdOn("landing", partition);
        StageCommand head = command(landing, "landing", List.of(Stage.HEAD), hyperparameters(2, 28));
        createRun(head);
        TopicEvents.publish(kafka.bootstrapServers(), head);

        gate.open();
        awaitGroup(3);
        String newOwner = workers.ownerOf(partition);
        assertThat(newOwner).as("the stage's partition moved to a newcomer").isNotEqualTo("worker-a");
        assertThat(checkpoints(running, 1, Duration.ofSeconds(2))).as("the stage still trains after the rebalance")
                .isEmpty();

        // The partition's new owner defers the leased command and trains the one behind it meanwhile.
        assertThat(checkpoints(landing, 1, Duration.ofMinutes(2))).hasSize(1);
        assertThat(lease(landing, Stage.HEAD).getString("owner")).as("a newcomer that owned the partition")
                .isIn("worker-b", "worker-c");
        assertThat(checkpoints(running, 1, Duration.ofSeconds(1))).as("trained while worker-a still trains").isEmpty();

        assertThat(checkpoints(running, 1, Duration.ofMinutes(4))).hasSize(1);
        assertThat(checkpoints(running, 2, Duration.ofSeconds(3))).as("one CheckpointPublished").hasSize(1);
        assertThat(epochEvents(running, epochs)).extracting(EpochCompleted::epoch).as("every epoch trained once")
                .containsExactlyElementsOf(range(1, epochs));
        double fullEpochs = 0;
        for (String worker : workers.running()) {
            fullEpochs += workers.metric(worker, "trainer_epochs_total", Map.of("model", "scale", "stage", "FULL"));
        }
        assertThat(fullEpochs).as("epochs trained by all workers together").isEqualTo(epochs);
        assertThat(lease(running, Stage.FULL).getString("owner")).isEqualTo("worker-a");
        assertThat(lease(running, Stage.FULL).getInt("token")).isEqualTo(1);
        assertCheckpointFolder("scale", running, Stage.FULL);
        assertThat(workers.metric("worker-b", "trainer_commands_deferred_total", Map.of())
                + workers.metric("worker-c", "trainer_commands_deferred_total", Map.of())).isPositive();
        assertThat(workers.metric("worker-a", "trainer_partitions_revoked_total", Map.of("in_flight", "true")))
                .isPositive();
        gate.close();
    }

    @Test
    @Order(2)
    void theStagesOfAKilledWorkerAndOfAWorkerStoppedWithSigtermAreResumedByTheRemainingWorker() throws Exception {
        List<String> alive = workers.running();
        String killedWorker = alive.get(0);
        String stoppedWorker = alive.get(1);
        int epochs = 14;
        String killed = runOwnedBy("killed", killedWorker);
        String drained = runOwnedBy("drained", stoppedWorker);
        for (String runId : List.of(killed, drained)) {
            StageCommand full = command(runId, runId, List.of(Stage.FULL), hyperparameters(epochs, 32));
            createRun(full);
            TopicEvents.publish(kafka.bootstrapServers(), full);
        }
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> recordedEpoch(killed) >= 2 && recordedEpoch(drained) >= 2);
        assertThat(leaseOwner(killed, Stage.FULL)).isEqualTo(killedWorker);
        assertThat(leaseOwner(drained, Stage.FULL)).isEqualTo(stoppedWorker);

        workers.kill(killedWorker);
        assertThat(checkpoints(killed, 1, Duration.ofMillis(500))).as("killed before its stage ended").isEmpty();
        Duration stopping = workers.terminate(stoppedWorker, STOP_TIMEOUT);
        assertThat(workers.log(stoppedWorker)).contains("stage FULL stopped after epoch")
                .contains("its lease is released");
        System.out.printf("SIGTERM to exit of the worker training run %s: %d ms%n", drained, stopping.toMillis());

        String successor = workers.running().get(0);
        for (String runId : List.of(killed, drained)) {
            assertThat(checkpoints(runId, 1, Duration.ofMinutes(3))).hasSize(1);
            JsonPath lease = lease(runId, Stage.FULL);
            assertThat(lease.getString("owner")).isEqualTo(successor);
            assertThat(lease.getInt("token")).as("taken over once").isEqualTo(2);
            assertThat(workers.metric(successor, "trainer_epochs_total", Map.of("model", runId, "stage", "FULL")))
                    .as("%s resumed after the epochs of its first worker", runId).isPositive()
                    .isLessThanOrEqualTo(epochs - 2);
            assertCheckpointFolder(runId, runId, Stage.FULL);
        }
        // The killed worker's epoch in progress is trained again (it was never recorded, so it sent no event).
        assertThat(epochEvents(killed, epochs)).extracting(EpochCompleted::epoch).as("no recorded epoch trained twice")
                .doesNotHaveDuplicates().contains(1, 2, epochs);
        assertThat(epochEvents(drained, epochs)).extracting(EpochCompleted::epoch)
                .as("the stopped worker handed over at an epoch boundary").containsExactlyElementsOf(range(1, epochs));
    }

    @Test
    @Order(3)
    void trainersJoiningAndLeavingWhileThePlannerDebouncesYieldOneRunStartedAfterTheWindow() throws Exception {
        List<String> before = workers.running();
        Instant announced = Instant.now();
        TopicEvents.publish(kafka.bootstrapServers(), versionCreated("planned", 1));
        workers.start("worker-d");
        workers.terminate(before.get(0), STOP_TIMEOUT);
        workers.awaitReady("worker-d");
        assertThat(Duration.between(announced, Instant.now())).as("joined and left within the debounce window")
                .isLessThan(DEBOUNCE);

        String runId = "planned.planned.v1";
        JsonPath run = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(() -> given().baseUri(registry.url()).get("/runs/" + runId), response ->
                        response.statusCode() == 200).jsonPath();
        assertThat(Instant.parse(run.getString("createdAt"))).as("started after the window")
                .isAfterOrEqualTo(announced.plus(DEBOUNCE));
        assertThat(given().baseUri(registry.url()).get("/runs?model=planned").jsonPath().getList("runId"))
                .containsExactly(runId);
        assertThat(TopicEvents.readDistinct(kafka.bootstrapServers(), Topics.TRAINING_COMMANDS, runId, 2,
                Duration.ofSeconds(3))).as("one first stage command").hasSize(1);
    }

    /** A run id with the prefix whose commands land on a partition the worker owns now. */
    private static String runOwnedBy(String prefix, String worker) throws Exception {
        for (int partition = 0; partition < PARTITIONS; partition++) {
            if (workers.ownerOf(partition).equals(worker)) {
                return TrainerWorkers.runIdOn(prefix, partition);
            }
        }
        throw new AssertionError(worker + " owns no partition");
    }

    private static int recordedEpoch(String runId) {
        var response = given().baseUri(registry.url()).get("/runs/{run}/stages/FULL/lease", runId);
        return response.statusCode() == 200 && response.jsonPath().get("epoch") != null
                ? response.jsonPath().getInt("epoch") : 0;
    }

    private static String leaseOwner(String runId, Stage stage) {
        var response = given().baseUri(registry.url()).get("/runs/{run}/stages/{stage}/lease", runId, stage);
        return response.statusCode() == 200 ? response.jsonPath().getString("owner") : "";
    }

    private static void awaitGroup(int members) {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(() -> workers.stableGroup(members).isPresent());
    }

    private static StageCommand command(String runId, String model, List<Stage> plan,
                                        Map<String, String> hyperparameters) {
        return StageCommand.first(runId, model, "scaling", 1, plan, TrainingDataset.BACKBONE_URI, hyperparameters);
    }

    private static Map<String, String> hyperparameters(int epochs, int side) {
        return Map.of("maxEpochs", Integer.toString(epochs), "patience", Integer.toString(epochs),
                "headLearningRate", "0.02", "backboneLearningRate", "0.01",
                "preprocessing.resize", Integer.toString(side), "preprocessing.crop", Integer.toString(side),
                "preprocessing.minCropScale", "0.5");
    }

    private static void createRun(StageCommand command) {
        registryCall().body(Map.of("runId", command.runId(), "model", command.model(), "datasetId",
                        command.datasetId(), "datasetVersion", command.datasetVersion(), "plan", command.plan(),
                        "baseBackbone", command.baseBackbone()))
                .post("/runs").then().statusCode(201);
    }

    private static JsonPath lease(String runId, Stage stage) {
        return given().baseUri(registry.url()).get("/runs/{run}/stages/{stage}/lease", runId, stage)
                .then().statusCode(200).extract().jsonPath();
    }

    private static io.restassured.specification.RequestSpecification registryCall() {
        return given().baseUri(registry.url()).header("Authorization", "Bearer " + RegistryProcess.TRAINER_TOKEN)
                .contentType("application/json");
    }

    private static List<CheckpointPublished> checkpoints(String runId, int expected, Duration wait) {
        return TopicEvents.read(kafka.bootstrapServers(), Topics.TRAINING_CHECKPOINTS, runId, expected, wait)
                .stream().map(CheckpointPublished.class::cast).toList();
    }

    private static List<EpochCompleted> epochEvents(String runId, int expected) {
        return TopicEvents.read(kafka.bootstrapServers(), Topics.TRAINING_PROGRESS, runId, expected,
                Duration.ofSeconds(2)).stream().map(EpochCompleted.class::cast).toList();
    }

    private static void assertCheckpointFolder(String model, String runId, Stage stage) {
        String prefix = ObjectKeys.checkpointPrefix(model, runId, stage);
        assertThat(new ObjectStore(s3.settings()).list("checkpoints", prefix))
                .as("one checkpoint, no attempt left").containsExactlyInAnyOrder(prefix + "backbone.pt",
                        prefix + "head.safetensors", prefix + "metrics.json", prefix + "checkpoint.json");
    }

    /** A version of the dataset with the sample's training images over the four labels. */
    private static DatasetVersionCreated versionCreated(String datasetId, int version) {
        Map<String, Map<Split, Integer>> counts = new TreeMap<>();
        LABELS.forEach(label -> counts.put(label, Map.of(Split.TRAIN, 48, Split.VAL, 12, Split.TEST, 20)));
        return new DatasetVersionCreated(UUID.randomUUID(), PipelineEvent.SCHEMA_VERSION, Instant.now(), datasetId,
                version, null, ObjectKeys.manifest(datasetId, version), LABELS, counts, 320,
                Map.of(Split.TRAIN, 192, Split.VAL, 48, Split.TEST, 80), List.of());
    }

    private static List<Integer> range(int from, int to) {
        return java.util.stream.IntStream.rangeClosed(from, to).boxed().toList();
    }
}
