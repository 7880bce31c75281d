package io.stagetune.trainer.registry;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.stagetune.common.Topics;
import io.stagetune.localstack.infrastructure.EmbeddedKafka;
import io.stagetune.localstack.infrastructure.EmbeddedS3;
import io.stagetune.testsupport.InjectKafka;
import io.stagetune.testsupport.InjectS3;
import io.stagetune.testsupport.RegistryProcess;
import io.stagetune.testsupport.RegistryTestResource;
import io.stagetune.testsupport.TopicEvents;
import io.stagetune.common.checkpoint.CheckpointManifest;
import io.stagetune.common.checkpoint.WarmStart;
import io.stagetune.common.events.DatasetVersionCreated;
import io.stagetune.common.events.Split;
import io.stagetune.common.events.Stage;
import io.stagetune.common.events.StageCommand;
import io.stagetune.common.storage.ObjectKeys;
import io.stagetune.common.storage.ObjectStore;
import io.stagetune.trainer.worker.TrainingDataset;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The trainer with the model registry (its packaged build, as a process) owning the runs, through a real broker
 * and store: a burst of dataset versions creates one run there and its stage progress shows up; a
 * {@code models:/<model>@<alias>} base backbone that does not resolve starts no run (409 for a manual trigger),
 * and once it does, the next dataset version's run records the resolved backbone and keeps it when the alias
 * moves; a registry outage delays planning without losing it; and a model that starts from production starts from
 * the base until it has a production version, then from the version production pointed at when its run was planned.
 */
@QuarkusTest
@TestProfile(RegistryRunsProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegistryRunsTest {

    private static final List<String> LABELS = List.of("bag", "sneaker", "trouser");
    private static final String BASE_CHECKPOINT = "s3://checkpoints/quick-base/base-run/full/";

    @InjectKafka
    EmbeddedKafka kafka;

    @InjectS3
    EmbeddedS3 s3;

    @Test
    @Order(1)
    void aBurstOfVersionsCreatesOneRunInTheRegistryWhoseStageProgressShowsThere() throws Exception {
        ObjectStore store = new ObjectStore(s3.settings());
        TrainingDataset.uploadBackbone(store);
        TrainingDataset.create(store, "quick", 3, LABELS);
        for (int version = 1; version <= 3; version++) {
            TopicEvents.publish(kafka.bootstrapServers(), version(version, 20 * version));
        }

        List<StageCommand> commands = commandsFor("quick.quick.v3", 1, Duration.ofSeconds(30));
        assertThat(commands).hasSize(1);
        JsonPath runs = registry().get("/runs?model=quick").jsonPath();
        assertThat(runs.getList("runId")).containsExactly("quick.quick.v3");
        assertThat(runs.getInt("[0].trainImages")).isEqualTo(60);
        assertThat(runs.getList("[0].labels")).containsExactlyElementsOf(LABELS);
        assertThat(runs.getString("[0].baseBackbone")).isEqualTo("s3://checkpoints/_backbones/resnet-tiny.pt");

        JsonPath completed = awaitStatus("quick.quick.v3", "COMPLETED");
        assertThat(completed.getString("stages.HEAD")).isEqualTo("COMPLETED");
        assertThat(completed.getString("message")).contains("checkpoint s3://checkpoints/quick/quick.quick.v3/head/");
        assertThat(completed.getString("startedAt")).isNotNull();
        assertThat(given().get("/runs").jsonPath().getList("runId")).as("the trainer lists the registry's runs")
                .contains("quick.quick.v3");
        assertThat(registry().get("/runs?model=tuned").jsonPath().getList("runId"))
                .as("no run while tuned's base alias does not exist").isEmpty();
    }

    @Test
    @Order(2)
    void aRegistryBaseBackboneIsResolvedWhenTheRunIsPlannedAndKeptWhenTheAliasMoves() throws Exception {
        JsonPath refused = given().header("Authorization", "Bearer test-admin-token").contentType("application/json")
                .body("{\"model\":\"tuned\",\"datasetVersion\":3}").post("/runs")
                .then().statusCode(409).extract().jsonPath();
        assertThat(refused.getString("error")).contains("models:/quick-base@production")
                .contains("no model 'quick-base' with alias 'production'");

        ObjectStore store = new ObjectStore(s3.settings());
        store.put("checkpoints", "quick-base/base-run/full/backbone.pt",
                TrainingDataset.repositoryFile("fixtures/backbones/resnet-tiny.pt"), "application/octet-stream");
        registerBase(BASE_CHECKPOINT);
        moveProduction(1);
        String resolved = BASE_CHECKPOINT + "backbone.pt";

        // The next dataset version plans tuned too, now that its base exists.
        TrainingDataset.create(store, "quick", 4, LABELS);
        TopicEvents.publish(kafka.bootstrapServers(), version(4, 100));
        assertThat(commandsFor("tuned.quick.v4", 1, Duration.ofSeconds(30)).get(0).baseBackbone())
                .isEqualTo(resolved);
        // So does a manual trigger, here on the version that had none.
        JsonPath manual = given().header("Authorization", "Bearer test-admin-token").contentType("application/json")
                .body("{\"model\":\"tuned\",\"datasetVersion\":3}").post("/runs")
                .then().statusCode(201).extract().jsonPath();
        assertThat(manual.getString("baseBackbone")).isEqualTo(resolved);

        registerBase("s3://checkpoints/quick-base/later-run/full/");
        moveProduction(2);
        JsonPath trained = awaitStatus("tuned.quick.v4", "COMPLETED");
        assertThat(trained.getString("baseBackbone")).as("the run keeps the base it was planned with")
                .isEqualTo(resolved);
        assertThat(awaitStatus("tuned.quick.v3", "COMPLETED").getString("baseBackbone")).isEqualTo(resolved);
    }

    @Test
    @Order(3)
    void aRegistryOutageDelaysPlanningWithoutLosingIt() throws Exception {
        TrainingDataset.create(new ObjectStore(s3.settings()), "quick", 5, LABELS);
        RegistryProcess registry = RegistryTestResource.registry();
        registry.stop();
        try {
            TopicEvents.publish(kafka.bootstrapServers(), version(5, 140));
            assertThat(commandsFor("quick.quick.v5", 1, Duration.ofSeconds(6)))
                    .as("no run is started while the registry is down").isEmpty();
        } finally {
            registry.startAgain();
        }
        assertThat(commandsFor("quick.quick.v5", 1, Duration.ofSeconds(30))).hasSize(1);
        assertThat(commandsFor("tuned.quick.v5", 1, Duration.ofSeconds(10))).hasSize(1);
        awaitStatus("quick.quick.v5", "COMPLETED");
        assertThat(registry().get("/runs?model=quick").jsonPath().getList("runId"))
                .containsExactly("quick.quick.v3", "quick.quick.v4", "quick.quick.v5");
    }

    @Test
    @Order(4)
    void aModelFromProductionStartsFromTheBaseUntilItHasOneThenFromTheVersionItWasPlannedWith() throws Exception {
        ObjectStore store = new ObjectStore(s3.settings());
        List<String> first = List.of("bag", "sneaker", "trouser");
        TrainingDataset.create(store, "quickwarm", 1, first);
        TopicEvents.publish(kafka.bootstrapServers(), version("quickwarm", 1, 60, first));
        StageCommand fromBase = commandsFor("warm.quickwarm.v1", 1, Duration.ofSeconds(30)).get(0);
        assertThat(fromBase.warmStart()).as("no production version yet: the base").isNull();
        assertThat(fromBase.plan()).containsExactly(Stage.HEAD);
        assertThat(fromBase.baseBackbone()).isEqualTo(TrainingDataset.BACKBONE_URI);
        assertThat(fromBase.hyperparameters()).doesNotContainKey("learningRateFactor");
        awaitStatus("warm.quickwarm.v1", "COMPLETED");
        String production = "s3://checkpoints/warm/warm.quickwarm.v1/head/";
        register("warm", "warm.quickwarm.v1", production, first);
        moveProduction("warm", 1);

        List<String> next = List.of("sneaker", "t-shirt", "trouser");
        TrainingDataset.create(store, "quickwarm", 2, next);
        TopicEvents.publish(kafka.bootstrapServers(), version("quickwarm", 2, 60, next));
        StageCommand warm = commandsFor("warm.quickwarm.v2", 1, Duration.ofSeconds(30)).get(0);
        WarmStart fromProduction = new WarmStart(1, production);
        assertThat(warm.warmStart()).isEqualTo(fromProduction);
        assertThat(warm.plan()).as("the warm plan").containsExactly(Stage.LAYER4);
        assertThat(warm.hyperparameters()).containsEntry("learningRateFactor", "0.3");
        JsonPath run = registry().get("/runs/warm.quickwarm.v2").jsonPath();
        assertThat(run.getLong("warmStart.version")).isEqualTo(1);
        assertThat(run.getString("warmStart.checkpoint")).isEqualTo(production);

        // Production moves on while the run trains: the run keeps the version it was planned with.
        register("warm", "elsewhere", "s3://checkpoints/warm/elsewhere/head/", next);
        moveProduction("warm", 2);
        awaitStatus("warm.quickwarm.v2", "COMPLETED");
        CheckpointManifest trained = TrainingDataset.manifest(store,
                "s3://checkpoints/warm/warm.quickwarm.v2/layer4/");
        assertThat(trained.warmStart()).isEqualTo(fromProduction);
        assertThat(trained.parentCheckpoint()).as("lineage: production version 1").isEqualTo(production);
        assertThat(trained.labels()).containsExactlyElementsOf(next);
        assertThat(registry().get("/runs/warm.quickwarm.v2").jsonPath().getLong("warmStart.version"))
                .isEqualTo(1);
    }

    private static io.restassured.specification.RequestSpecification registry() {
        return given().baseUri(RegistryTestResource.registry().url());
    }

    private static void registerBase(String checkpoint) {
        register("quick-base", "base-run", checkpoint, LABELS);
    }

    private static void register(String model, String runId, String checkpoint, List<String> labels) {
        registry().header("Authorization", "Bearer " + RegistryProcess.ADMIN_TOKEN).contentType("application/json")
                .body(Map.of("runId", runId, "stage", "FULL", "checkpoint", checkpoint, "labels", labels))
                .post("/models/" + model + "/versions").then().statusCode(201);
    }

    private static void moveProduction(long version) {
        moveProduction("quick-base", version);
    }

    private static void moveProduction(String model, long version) {
        registry().header("Authorization", "Bearer " + RegistryProcess.ADMIN_TOKEN).contentType("application/json")
                .body(Map.of("version", version, "reason", "base for fine-tuning"))
                .put("/models/" + model + "/aliases/production").then().statusCode(200);
    }

    private static JsonPath awaitStatus(String runId, String status) {
        return await().alias("run " + runId + " is " + status).atMost(Duration.ofMinutes(2))
                .until(() -> registry().get("/runs/" + runId).jsonPath(), run -> status.equals(run.getString("status")));
    }

    private List<StageCommand> commandsFor(String runId, int expected, Duration wait) {
        return TopicEvents.read(kafka.bootstrapServers(), Topics.TRAINING_COMMANDS, runId, expected, wait).stream()
                .map(StageCommand.class::cast).toList();
    }

    /** A version of dataset quick with {@code trainImages} training images over the three labels. */
    private static DatasetVersionCreated version(int version, int trainImages) {
        return version("quick", version, trainImages, LABELS);
    }

    /** A version of {@code datasetId} with {@code trainImages} training images over {@code labels}. */
    private static DatasetVersionCreated version(String datasetId, int version, int trainImages,
                                                 List<String> labels) {
        Map<String, Map<Split, Integer>> counts = new TreeMap<>();
        for (int i = 0; i < labels.size(); i++) {
            int share = trainImages / labels.size() + (i < trainImages % labels.size() ? 1 : 0);
            counts.put(labels.get(i), Map.of(Split.TRAIN, share, Split.TEST, 2));
        }
        int images = counts.values().stream().mapToInt(c -> c.values().stream().mapToInt(i -> i).sum()).sum();
        return new DatasetVersionCreated(UUID.randomUUID(), 1, Instant.now(), datasetId, version,
                version == 1 ? null : version - 1, ObjectKeys.manifest(datasetId, version), labels, counts, images,
                Map.of(Split.TRAIN, trainImages), List.of());
    }
}
