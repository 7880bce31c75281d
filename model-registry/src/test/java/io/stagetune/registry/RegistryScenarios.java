package io.stagetune.registry;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.stagetune.common.Topics;
import io.stagetune.localstack.infrastructure.EmbeddedKafka;
import io.stagetune.testsupport.InjectKafka;
import io.stagetune.testsupport.TopicEvents;
import io.stagetune.common.events.AliasMoved;
import io.stagetune.common.events.EventJson;
import io.stagetune.common.events.ModelPromoted;
import io.stagetune.common.events.PipelineEvent;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static io.stagetune.registry.RegistryApi.ADMIN;
import static io.stagetune.registry.RegistryApi.EVALUATOR;
import static io.stagetune.registry.RegistryApi.READER;
import static io.stagetune.registry.RegistryApi.TRAINER;
import static io.stagetune.registry.RegistryApi.as;
import static io.stagetune.registry.RegistryApi.move;
import static io.stagetune.registry.RegistryApi.register;
import static io.stagetune.registry.RegistryApi.registerChain;
import static io.stagetune.registry.RegistryApi.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/**
 * The registry through its REST API, its database and a real broker. Subclasses run it on H2 and on PostgreSQL,
 * so both run the same migrations and the same queries. Every test uses its own model names.
 */
abstract class RegistryScenarios {

    @InjectKafka
    EmbeddedKafka kafka;

    @Test
    void registeringTheSameCheckpointTwiceYieldsOneVersion() {
        String checkpoint = "s3://checkpoints/idem/run-1/head/";
        register("idem", version(checkpoint, null, "HEAD", "run-1")).then().statusCode(201)
                .header("Location", endsWith("/models/idem/versions/1"))
                .body("version", is(1)).body("labels", is(RegistryApi.LABELS));
        register("idem", version(checkpoint, null, "HEAD", "run-1")).then().statusCode(200).body("version", is(1));
        register("idem", version("s3://checkpoints/idem/run-1/layer4/", checkpoint, "LAYER4", "run-1"))
                .then().statusCode(201).body("version", is(2));
        register("other-model", version(checkpoint, null, "HEAD", "run-1")).then().statusCode(409)
                .body("error", containsString("already registered as model 'idem' version 1"));

        JsonPath stored = given().get("/models/idem/versions/1").then().statusCode(200).extract().jsonPath();
        assertThat(stored.getDouble("metrics.accuracy")).isEqualTo(0.8);
        assertThat(stored.getList("metrics.perClass.label")).containsExactly("bag", "boot", "coat");
        assertThat(stored.getDouble("metrics.perClass[2].f1")).isEqualTo(0.74);
        assertThat(stored.getLong("metrics.perClass[0].support")).isEqualTo(10);
        assertThat(stored.getList("metrics.confusionMatrix[2]")).containsExactly(1, 2, 7);
        assertThat(stored.getInt("metrics.imagesEvaluated")).isEqualTo(30);
        given().get("/models/idem").then().statusCode(200).body("versions", is(2)).body("latestVersion", is(2));
    }

    @Test
    void versionShowsItsLineageAndSearchFilters() {
        String base = "s3://checkpoints/base/pretrain/full/";
        String head = "s3://checkpoints/lineage/run-7/head/";
        String layer4 = "s3://checkpoints/lineage/run-7/layer4/";
        String full = "s3://checkpoints/lineage/run-7/full/";
        register("lineage", version(head, base, "HEAD", "run-7")).then().statusCode(201);
        register("lineage", version(layer4, head, "LAYER4", "run-7")).then().statusCode(201);
        register("lineage", version(full, layer4, "FULL", "run-7")).then().statusCode(201);
        register("lineage", version("s3://checkpoints/lineage/run-8/head/", null, "HEAD", "run-8"))
                .then().statusCode(201);

        JsonPath view = given().get("/models/lineage/versions/3").then().statusCode(200).extract().jsonPath();
        assertThat(view.getList("lineage.version")).containsExactly(2, 1, null);
        assertThat(view.getList("lineage.checkpoint")).containsExactly(layer4, head, base);
        assertThat(view.getList("lineage.stage")).containsExactly("LAYER4", "HEAD", null);

        given().get("/models/lineage/versions?runId=run-7").then().statusCode(200).body("version", is(List.of(1, 2, 3)));
        given().get("/models/lineage/versions?stage=HEAD").then().statusCode(200).body("version", is(List.of(1, 4)));
        given().get("/versions?model=lineage&datasetId=shop&datasetVersion=3&stage=FULL").then().statusCode(200)
                .body("version", is(List.of(3)));
        given().get("/versions?datasetVersion=99&model=lineage").then().statusCode(200).body("$", hasSize(0));
        move("lineage", "staging", 3, "looks good").then().statusCode(200);
        given().get("/models/lineage/versions?alias=staging").then().statusCode(200)
                .body("version", is(List.of(3))).body("[0].aliases", is(List.of("staging")));
        given().get("/versions?checkpoint=" + head).then().statusCode(200).body("[0].version", is(1));
        given().get("/models/nobody/versions").then().statusCode(404).body("error", containsString("'nobody'"));
    }

    @Test
    void concurrentMovesAreSerialisedAndNoneIsLost() throws Exception {
        String model = "concurrent";
        registerChain(model, 4);
        int threads = 20;
        HttpClient http = HttpClient.newHttpClient();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Callable<JsonPath>> moves = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            long target = i % 4 + 1;
            String body = "{\"version\": " + target + ", \"reason\": \"thread " + i + "\"}";
            moves.add(() -> {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                                        + RestAssured.port + "/models/" + model + "/aliases/production"))
                                .header("Authorization", "Bearer " + EVALUATOR)
                                .header("Content-Type", "application/json")
                                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                return JsonPath.from(response.body());
            });
        }
        List<JsonPath> results = new ArrayList<>();
        try {
            for (Future<JsonPath> result : pool.invokeAll(moves)) {
                results.add(result.get());
            }
        } finally {
            pool.shutdown();
        }
        long moved = results.stream().filter(result -> result.getBoolean("moved")).count();
        Set<String> movedReasons = new HashSet<>();
        results.stream().filter(result -> result.getBoolean("moved"))
                .forEach(result -> movedReasons.add(result.getString("reason")));

        List<Map<String, Object>> history = given().get("/models/{m}/aliases/production/history", model)
                .then().statusCode(200).extract().jsonPath().getList("$");
        assertThat(history).hasSize((int) moved);
        assertThat(history.get(0).get("fromVersion")).isNull();
        for (int i = 1; i < history.size(); i++) {
            assertThat(history.get(i).get("fromVersion")).as("move %d starts where move %d ended", i, i - 1)
                    .isEqualTo(history.get(i - 1).get("toVersion"));
            assertThat(history.get(i).get("fromVersion")).isNotEqualTo(history.get(i).get("toVersion"));
        }
        assertThat(history).extracting(entry -> (String) entry.get("reason")).containsExactlyInAnyOrderElementsOf(
                movedReasons);
        Object last = history.get(history.size() - 1).get("toVersion");
        given().get("/models/{m}/aliases", model).then().statusCode(200).body("$", hasSize(1))
                .body("[0].alias", is("production")).body("[0].version", is(last));
        given().get("/models/{m}/versions?alias=production", model).then().body("version", is(List.of(last)));

        List<PipelineEvent> events = TopicEvents.read(kafka.bootstrapServers(), Topics.MODEL_EVENTS, model,
                (int) moved * 2, Duration.ofSeconds(30));
        assertThat(events).filteredOn(AliasMoved.class::isInstance).hasSize((int) moved);
        assertThat(events).filteredOn(ModelPromoted.class::isInstance).extracting(e -> ((ModelPromoted) e).version())
                .containsExactlyElementsOf(history.stream().map(h -> ((Number) h.get("toVersion")).longValue())
                        .toList());
    }

    @Test
    void historyAnswersWhatAnAliasWasAtATime() throws Exception {
        String model = "timeline";
        registerChain(model, 2);
        Instant before = clockAfter(Instant.now());
        move(model, "production", 1, "first").then().statusCode(200).body("moved", is(true))
                .body("fromVersion", nullValue());
        Instant duringFirst = clockAfter(clockAfter(Instant.now()));
        String secondMovedAt = move(model, "production", 2, "better").then().statusCode(200)
                .extract().path("movedAt");
        Instant afterSecond = clockAfter(Instant.now());

        given().get("/models/{m}/aliases/production/history?at={t}", model, duringFirst.toString())
                .then().statusCode(200).body("version", is(1)).body("reason", is("first"));
        given().get("/models/{m}/aliases/production/history?at={t}", model, afterSecond.toString())
                .then().statusCode(200).body("version", is(2));
        given().get("/models/{m}/aliases/production/history?at={t}", model, secondMovedAt)
                .then().statusCode(200).body("version", is(2));
        given().get("/models/{m}/aliases/production/history?at={t}", model, before.toString())
                .then().statusCode(404).body("error", containsString("pointed at no version"));
        given().get("/models/{m}/aliases/production/history?at=yesterday", model)
                .then().statusCode(400).body("error", containsString("'yesterday'"));
        move(model, "production", 2, "again").then().statusCode(200).body("moved", is(false));
        given().get("/models/{m}/aliases/production/history", model).then().body("$", hasSize(2));
    }

    @Test
    void rollbackReturnsProductionToThePreviousVersion() {
        String model = "rollback";
        registerChain(model, 3);
        move(model, "production", 1, "first").then().statusCode(200);
        as(ADMIN).post("/models/{m}/aliases/production/rollback", model).then().statusCode(409)
                .body("error", containsString("no previous version"));
        move(model, "production", 3, "candidate").then().statusCode(200);
        as(ADMIN).body(Map.of("reason", "class coat regressed")).post("/models/{m}/aliases/production/rollback", model)
                .then().statusCode(200).body("version", is(1)).body("fromVersion", is(3))
                .body("reason", is("rollback: class coat regressed")).body("actor", is("admin"));
        given().get("/models/{m}/aliases/production/version", model).then().statusCode(200).body("version", is(1));
        given().get("/models/{m}/aliases/production/history", model).then().statusCode(200)
                .body("toVersion", is(List.of(1, 3, 1))).body("[2].reason", containsString("rollback"));
        as(ADMIN).post("/models/{m}/aliases/staging/rollback", model).then().statusCode(404);

        List<PipelineEvent> events = TopicEvents.read(kafka.bootstrapServers(), Topics.MODEL_EVENTS, model, 6,
                Duration.ofSeconds(30));
        ModelPromoted rolledBack = (ModelPromoted) events.stream().filter(ModelPromoted.class::isInstance)
                .reduce((first, second) -> second).orElseThrow();
        assertThat(rolledBack.version()).isEqualTo(1);
        assertThat(rolledBack.previousVersion()).isEqualTo(3);
        assertThat(rolledBack.reason()).startsWith("rollback");
    }

    @Test
    void aMoveWhileTheBrokerIsDownIsPublishedWhenItIsBack() {
        String model = "outage";
        registerChain(model, 2);
        move(model, "production", 1, "before").then().statusCode(200);
        assertThat(TopicEvents.read(kafka.bootstrapServers(), Topics.MODEL_EVENTS, model, 2, Duration.ofSeconds(30)))
                .hasSize(2);
        kafka.stopBroker();
        try {
            move(model, "production", 2, "during outage").then().statusCode(200).body("moved", is(true));
            move(model, "staging", 2, "during outage").then().statusCode(200);
        } finally {
            kafka.restartBroker();
        }
        // At-least-once: an event whose acknowledgement the outage swallowed is sent again, with the same event id.
        List<String> raw = TopicEvents.readRaw(kafka.bootstrapServers(), Topics.MODEL_EVENTS, model, 5,
                Duration.ofSeconds(60));
        List<PipelineEvent> events = TopicEvents.readDistinct(kafka.bootstrapServers(), Topics.MODEL_EVENTS, model, 5,
                Duration.ofSeconds(60));
        assertThat(raw).as("every copy of an event is the same record").hasSizeGreaterThanOrEqualTo(5)
                .allSatisfy(record -> assertThat(events).contains(EventJson.read(record)));
        assertThat(events).extracting(event -> event.getClass().getSimpleName())
                .containsExactly("AliasMoved", "ModelPromoted", "AliasMoved", "ModelPromoted", "AliasMoved");
        AliasMoved duringOutage = (AliasMoved) events.get(2);
        assertThat(duringOutage.model()).isEqualTo(model);
        assertThat(duringOutage.alias()).isEqualTo("production");
        assertThat(duringOutage.fromVersion()).isEqualTo(1L);
        assertThat(duringOutage.toVersion()).isEqualTo(2L);
        assertThat(duringOutage.actor()).isEqualTo("evaluator");
        assertThat(duringOutage.reason()).isEqualTo("during outage");
        assertThat(((AliasMoved) events.get(4)).alias()).isEqualTo("staging");
    }

    @Test
    void promotionDecisionsAreStoredAndMoveProduction() {
        String model = "promo";
        registerChain(model, 3);
        Map<String, Object> first = Map.of("runId", "run-1", "candidateVersion", 1, "promoted", true,
                "reasons", List.of("no production yet"), "candidateMetrics", RegistryApi.metrics(0.7));
        as(EVALUATOR).body(first).post("/models/{m}/promotions", model).then().statusCode(201)
                .body("promoted", is(true)).body("move.version", is(1)).body("move.fromVersion", nullValue());
        as(EVALUATOR).body(first).post("/models/{m}/promotions", model).then().statusCode(200)
                .body("move", nullValue());

        Map<String, Object> rejected = Map.of("runId", "run-1", "candidateVersion", 2, "productionVersion", 1,
                "promoted", false, "reasons", List.of("class coat drops 0.12 > max-class-drop 0.05"),
                "candidateMetrics", RegistryApi.metrics(0.75), "productionMetrics", RegistryApi.metrics(0.7));
        as(EVALUATOR).body(rejected).post("/models/{m}/promotions", model).then().statusCode(201)
                .body("promoted", is(false)).body("move", nullValue());
        given().get("/models/{m}/aliases/production", model).then().body("version", is(1));

        Map<String, Object> stale = Map.of("candidateVersion", 3, "productionVersion", 2, "promoted", true,
                "reasons", List.of("beats production"));
        as(EVALUATOR).body(stale).post("/models/{m}/promotions", model).then().statusCode(409)
                .body("error", containsString("production of model 'promo' is version 1"));
        Map<String, Object> overall = Map.of("images", 5000, "productionAccuracy", 0.95, "candidateAccuracy", 0.96,
                "gained", 125, "lost", 75, "difference", 0.01, "lower", 0.0041, "upper", 0.0159, "pValue", 2.4e-4,
                "verdict", "PASS");
        Map<String, Object> coat = Map.of("label", "coat", "images", 20, "productionAccuracy", 0.9,
                "candidateAccuracy", 0.85, "gained", 0, "lost", 1, "difference", -0.05, "lower", -0.195,
                "upper", 0.095, "verdict", "NOT_ENOUGH_DATA");
        Map<String, Object> statistics = Map.of("policy", "paired", "significance", 0.05, "minEffect", 0.0,
                "maxClassDrop", 0.05, "minClassImages", 10, "unpairedImages", 0, "overall", overall,
                "perClass", List.of(coat));
        Map<String, Object> better = Map.of("candidateVersion", 3, "productionVersion", 1, "promoted", true,
                "reasons", List.of("accuracy +0.05"), "candidateMetrics", RegistryApi.metrics(0.8),
                "productionMetrics", RegistryApi.metrics(0.7), "statistics", statistics);
        as(EVALUATOR).body(better).post("/models/{m}/promotions", model).then().statusCode(201)
                .body("move.fromVersion", is(1)).body("move.version", is(3))
                .body("statistics.perClass[0].verdict", is("NOT_ENOUGH_DATA"));

        JsonPath decisions = given().get("/models/{m}/promotions", model).then().statusCode(200).extract().jsonPath();
        assertThat(decisions.getList("candidateVersion")).containsExactly(3, 2, 1);
        assertThat(decisions.getList("promoted")).containsExactly(true, false, true);
        assertThat(decisions.getList("reasons[1]")).containsExactly("class coat drops 0.12 > max-class-drop 0.05");
        assertThat(decisions.getDouble("[1].productionMetrics.accuracy")).isEqualTo(0.7);
        assertThat(decisions.getList("[1].candidateMetrics.perClass.label")).containsExactly("bag", "boot", "coat");
        assertThat(decisions.getMap("[1]")).as("a decision without statistics reads with none")
                .containsEntry("statistics", null);
        assertThat(decisions.getInt("[0].statistics.overall.gained")).isEqualTo(125);
        assertThat(decisions.getDouble("[0].statistics.overall.lower")).isEqualTo(0.0041);
        assertThat(decisions.getDouble("[0].statistics.overall.pValue")).isEqualTo(2.4e-4);
        assertThat(decisions.getList("[0].statistics.perClass.label")).containsExactly("coat");
        assertThat(decisions.getString("[0].statistics.overall.verdict")).isEqualTo("PASS");
        given().get("/models/{m}/promotions?promoted=false", model).then().body("candidateVersion", is(List.of(2)));
        int id = decisions.getInt("[2].id");
        given().get("/models/{m}/promotions/{id}", model, id).then().statusCode(200).body("candidateVersion", is(1));
        given().get("/models/{m}/aliases/production/history", model).then()
                .body("reason", is(List.of("promoted: no production yet", "promoted: accuracy +0.05")));
    }

    @Test
    void runsAreCreatedOnceAndTrackStageStatus() {
        Map<String, Object> run = Map.of("runId", "fashion.shop.v4", "model", "runs-model", "datasetId", "shop",
                "datasetVersion", 4, "baseBackbone", "s3://checkpoints/_backbones/resnet18.pt", "trigger", "manual",
                "hyperparameters", Map.of("maxEpochs", "3"), "trainImages", 120, "labels", List.of("bag", "coat"));
        as(TRAINER).body(run).post("/runs").then().statusCode(201)
                .body("status", is("PENDING")).body("plan", is(List.of("HEAD", "LAYER4", "FULL")))
                .body("stages.HEAD", is("PENDING")).body("hyperparameters.maxEpochs", is("3"))
                .body("trainImages", is(120)).body("labels", is(List.of("bag", "coat")));
        as(TRAINER).body(run).post("/runs").then().statusCode(200);
        // A second creation of the same run (a retried or racing planner) changes nothing.
        Map<String, Object> again = new java.util.HashMap<>(run);
        again.put("trigger", "a second planner");
        again.put("plan", List.of("FULL"));
        as(TRAINER).body(again).post("/runs").then().statusCode(200)
                .body("trigger", is("manual")).body("plan", is(List.of("HEAD", "LAYER4", "FULL")));
        given().get("/runs/fashion.shop.v4").then().body("trigger", is("manual"));
        as(TRAINER).body(Map.of("runId", "another", "model", "runs-model", "datasetId", "shop", "datasetVersion", 4))
                .post("/runs").then().statusCode(409).body("error", containsString("'fashion.shop.v4'"));

        as(TRAINER).body(Map.of("stages", Map.of("HEAD", "RUNNING"))).patch("/runs/fashion.shop.v4")
                .then().statusCode(200).body("status", is("RUNNING")).body("startedAt", notNullValue());
        as(TRAINER).body(Map.of("stages", Map.of("HEAD", "COMPLETED", "LAYER4", "RUNNING")))
                .patch("/runs/fashion.shop.v4").then().statusCode(200)
                .body("stages.HEAD", is("COMPLETED")).body("stages.LAYER4", is("RUNNING"))
                .body("stages.FULL", is("PENDING")).body("finishedAt", nullValue());
        as(TRAINER).body(Map.of("status", "COMPLETED", "stages", Map.of("LAYER4", "COMPLETED", "FULL", "SKIPPED"),
                "message", "early stop")).patch("/runs/fashion.shop.v4").then().statusCode(200)
                .body("finishedAt", notNullValue()).body("message", is("early stop"));
        as(TRAINER).body(Map.of("status", "RUNNING")).patch("/runs/fashion.shop.v4").then().statusCode(409)
                .body("error", containsString("run 'fashion.shop.v4' is COMPLETED"));
        given().get("/runs?model=runs-model&status=COMPLETED").then().statusCode(200)
                .body("runId", is(List.of("fashion.shop.v4")));
        given().get("/runs/nope").then().statusCode(404).body("error", containsString("'nope'"));

        given().get("/runs/fashion.shop.v4").then().body("warmStart", nullValue());

        // A warm-started run records the production version it starts from.
        as(TRAINER).body(Map.of("runId", "plan-full", "model", "runs-model", "datasetId", "shop", "datasetVersion", 5,
                "plan", List.of("FULL"), "warmStart", Map.of("version", 3, "checkpoint",
                        "s3://checkpoints/runs-model/fashion.shop.v4/full/"))).post("/runs").then().statusCode(201)
                .body("warmStart.version", is(3))
                .body("warmStart.checkpoint", is("s3://checkpoints/runs-model/fashion.shop.v4/full/"));
        given().get("/runs/plan-full").then().body("warmStart.version", is(3));
        as(TRAINER).body(Map.of("runId", "warm-zero", "model", "runs-model", "datasetId", "shop", "datasetVersion", 6,
                "warmStart", Map.of("version", 0, "checkpoint", "s3://checkpoints/x/"))).post("/runs").then()
                .statusCode(400).body("error", containsString("version"));
        as(TRAINER).body(Map.of("stages", Map.of("HEAD", "RUNNING"))).patch("/runs/plan-full")
                .then().statusCode(400).body("error", containsString("HEAD is not in run 'plan-full'"));
    }

    @Test
    void aStageLeaseHasOneLiveOwnerAndRefusesStaleTokens() {
        as(TRAINER).body(Map.of("runId", "leased.shop.v1", "model", "leased", "datasetId", "shop",
                "datasetVersion", 1, "plan", List.of("HEAD", "FULL"))).post("/runs").then().statusCode(201);
        String lease = "/runs/leased.shop.v1/stages/FULL/lease";
        as(TRAINER).body(Map.of("owner", "worker-a", "ttlSeconds", 60)).post(lease).then().statusCode(200)
                .body("granted", is(true)).body("token", is(1)).body("state", is("HELD"))
                .body("owner", is("worker-a"));
        as(TRAINER).body(Map.of("owner", "worker-b")).post(lease).then().statusCode(200)
                .body("granted", is(false)).body("owner", is("worker-a")).body("token", is(1));
        String epoch1 = "s3://checkpoints/leased/leased.shop.v1/full/attempts/1/epoch-1/";
        as(TRAINER).body(Map.of("owner", "worker-a", "token", 1, "epoch", 1, "epochCheckpoint", epoch1)).put(lease)
                .then().statusCode(200).body("epoch", is(1)).body("epochCheckpoint", is(epoch1));

        // A stopping worker hands the stage over: the next holder resumes from the recorded epoch at once.
        as(TRAINER).delete(lease + "?owner=worker-a&token=1").then().statusCode(200).body("state", is("RELEASED"));
        as(TRAINER).body(Map.of("owner", "worker-b", "ttlSeconds", 1)).post(lease).then().statusCode(200)
                .body("granted", is(true)).body("token", is(2)).body("state", is("HELD"))
                .body("epoch", is(1)).body("epochCheckpoint", is(epoch1));
        // worker-a's token is stale: it records no epoch, chooses no checkpoint, publishes nothing.
        as(TRAINER).body(Map.of("owner", "worker-a", "token", 1, "epoch", 2, "epochCheckpoint", "s3://c/a/")).put(lease)
                .then().statusCode(409).body("error", containsString("token 1 of 'worker-a' is no longer current"))
                .body("error", containsString("held by 'worker-b' with token 2"));
        as(TRAINER).body(Map.of("owner", "worker-a", "token", 1, "attempt", "s3://c/a/")).post(lease + "/completion")
                .then().statusCode(409);

        String attempt = "s3://checkpoints/leased/leased.shop.v1/full/attempts/2/";
        as(TRAINER).body(Map.of("owner", "worker-b", "token", 2, "attempt", attempt)).post(lease + "/completion")
                .then().statusCode(200).body("state", is("COMPLETED")).body("attempt", is(attempt));
        as(TRAINER).body(Map.of("owner", "worker-b", "token", 2, "attempt", "s3://c/other/"))
                .post(lease + "/completion").then().statusCode(409).body("error", containsString(attempt));

        // worker-b stops renewing (killed before publishing): once expired, worker-c takes over the publication.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> as(TRAINER).body(Map.of("owner", "worker-c")).post(lease).jsonPath()
                        .getBoolean("granted"));
        given().get(lease).then().statusCode(200).body("owner", is("worker-c")).body("token", is(3))
                .body("state", is("COMPLETED")).body("attempt", is(attempt));
        as(TRAINER).body(Map.of("owner", "worker-b", "token", 2)).post(lease + "/publication").then().statusCode(409);
        as(TRAINER).body(Map.of("owner", "worker-c", "token", 3)).post(lease + "/publication").then().statusCode(200)
                .body("state", is("PUBLISHED"));
        as(TRAINER).body(Map.of("owner", "worker-d")).post(lease).then().statusCode(200)
                .body("granted", is(false)).body("state", is("PUBLISHED"));

        as(TRAINER).body(Map.of("owner", "worker-a")).post("/runs/leased.shop.v1/stages/LAYER4/lease").then()
                .statusCode(400).body("error", containsString("stage LAYER4 is not in run 'leased.shop.v1'"));
        as(TRAINER).body(Map.of("owner", "worker-a")).post("/runs/nope/stages/FULL/lease").then().statusCode(404)
                .body("error", containsString("run 'nope'"));
        as(TRAINER).body(Map.of("owner", "worker-a")).post("/runs/leased.shop.v1/stages/TAIL/lease").then()
                .statusCode(400).body("error", containsString("stage 'TAIL'"));
        as(TRAINER).body(Map.of("ttlSeconds", 5)).post("/runs/leased.shop.v1/stages/HEAD/lease").then()
                .statusCode(400).body("error", containsString("owner is required"));
        as(TRAINER).body(Map.of("owner", "worker-a", "ttlSeconds", 0)).post("/runs/leased.shop.v1/stages/HEAD/lease")
                .then().statusCode(400).body("error", containsString("ttlSeconds"));
        as(EVALUATOR).body(Map.of("owner", "worker-a")).post("/runs/leased.shop.v1/stages/HEAD/lease").then()
                .statusCode(403);
        given().get("/runs/leased.shop.v1/stages/HEAD/lease").then().statusCode(404);
    }

    @Test
    void concurrentAcquisitionsGrantAStageToOneWorker() throws Exception {
        as(TRAINER).body(Map.of("runId", "race.shop.v1", "model", "race", "datasetId", "shop", "datasetVersion", 1))
                .post("/runs").then().statusCode(201);
        int workers = 16;
        HttpClient http = HttpClient.newHttpClient();
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        List<Callable<JsonPath>> acquisitions = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            String body = "{\"owner\": \"worker-" + i + "\", \"ttlSeconds\": 300}";
            acquisitions.add(() -> {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                                        + RestAssured.port + "/runs/race.shop.v1/stages/HEAD/lease"))
                                .header("Authorization", "Bearer " + TRAINER)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                return JsonPath.from(response.body());
            });
        }
        List<JsonPath> results = new ArrayList<>();
        try {
            for (Future<JsonPath> result : pool.invokeAll(acquisitions)) {
                results.add(result.get());
            }
        } finally {
            pool.shutdown();
        }
        List<JsonPath> granted = results.stream().filter(result -> result.getBoolean("granted")).toList();
        assertThat(granted).hasSize(1);
        String winner = granted.get(0).getString("owner");
        assertThat(results).allSatisfy(result -> assertThat(result.getString("owner")).isEqualTo(winner));
        given().get("/runs/race.shop.v1/stages/HEAD/lease").then().body("owner", is(winner)).body("token", is(1));
    }

    @Test
    void mutationsNeedTheRightRoleAndReadsAreOpen() {
        Map<String, Object> body = version("s3://checkpoints/secure/run-1/head/", null, "HEAD", "run-1");
        given().contentType("application/json").body(body).post("/models/secure/versions").then().statusCode(401);
        as("wrong-token").body(body).post("/models/secure/versions").then().statusCode(401);
        as(READER).body(body).post("/models/secure/versions").then().statusCode(403);
        as(TRAINER).body(body).post("/models/secure/versions").then().statusCode(403);
        as(ADMIN).body(body).post("/models/secure/versions").then().statusCode(201);
        as(TRAINER).body(Map.of("version", 1)).put("/models/secure/aliases/production").then().statusCode(403);
        given().contentType("application/json").body(Map.of("version", 1)).put("/models/secure/aliases/production")
                .then().statusCode(401);
        as(EVALUATOR).body(Map.of("runId", "r", "model", "secure", "datasetId", "d", "datasetVersion", 1))
                .post("/runs").then().statusCode(403);
        given().get("/models/secure/versions/1").then().statusCode(200);
        given().get("/models").then().statusCode(200);
    }

    @Test
    void badInputIsRefusedWithAMessageNamingTheItem() {
        Map<String, Object> noLabels = new java.util.HashMap<>(version("s3://c/bad/1/", null, "HEAD", "r"));
        noLabels.remove("labels");
        register("bad", noLabels).then().statusCode(400).body("error", containsString("labels"));
        register("bad model!", version("s3://c/bad/2/", null, "HEAD", "r")).then().statusCode(400)
                .body("error", containsString("model 'bad model!'"));
        Map<String, Object> badMetrics = new java.util.HashMap<>(version("s3://c/bad/3/", null, "HEAD", "r"));
        badMetrics.put("metrics", Map.of("accuracy", 1.5));
        register("bad", badMetrics).then().statusCode(400).body("error", containsString("metrics.accuracy"));
        as(EVALUATOR).body("{\"checkpoint\": ").post("/models/bad/versions").then().statusCode(400)
                .body("status", is(400));
        registerChain("bad", 1);
        move("bad", "production", 7, "nope").then().statusCode(404)
                .body("error", is("version 7 of model 'bad' not found"));
        move("ghost", "production", 1, "nope").then().statusCode(404).body("error", is("model 'ghost' not found"));
        as(EVALUATOR).body(Map.of("reason", "no version")).put("/models/bad/aliases/production").then()
                .statusCode(400).body("error", containsString("version"));
        as(EVALUATOR).body(Map.of("version", 1, "expectedVersion", 3)).put("/models/bad/aliases/production").then()
                .statusCode(409).body("error", containsString("not the expected 3"));
        given().get("/versions?stage=HEADLESS").then().statusCode(400)
                .body("error", containsString("stage 'HEADLESS' is not one of [HEAD, LAYER4, FULL]"));
        registerChain("bad-promo", 2);
        as(EVALUATOR).body(Map.of("candidateVersion", 2, "productionVersion", 1, "promoted", false,
                        "reasons", List.of("not significant"), "statistics", Map.of("policy", "paired")))
                .post("/models/bad-promo/promotions").then().statusCode(400)
                .body("error", containsString("statistics.overall"));
        given().get("/runs?status=DONE").then().statusCode(400).body("error", containsString("status 'DONE'"));
        given().get("/models/bad/aliases/production").then().statusCode(404)
                .body("error", is("alias 'production' of model 'bad' not set"));
    }

    @Test
    void metricsCountMovesAndShowTheOutboxBacklog() {
        registerChain("metered", 1);
        move("metered", "production", 1, "first").then().statusCode(200);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("registry_alias_moves_total{alias=\"production\",kind=\"move\",model=\"metered\"}");
        assertThat(metrics).contains("registry_outbox_pending");
    }

    /** The first instant (to the microsecond, as the registry stores times) after {@code instant}. */
    private static Instant clockAfter(Instant instant) {
        Instant micros = instant.truncatedTo(ChronoUnit.MICROS);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(1))
                .until(() -> Instant.now().truncatedTo(ChronoUnit.MICROS).isAfter(micros));
        return Instant.now();
    }
}
