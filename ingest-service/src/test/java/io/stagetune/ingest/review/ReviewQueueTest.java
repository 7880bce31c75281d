package io.stagetune.ingest.review;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.stagetune.common.dataset.ManifestEntry;
import io.stagetune.common.events.EventJson;
import io.stagetune.common.events.PipelineEvent;
import io.stagetune.common.events.PredictionMade;
import io.stagetune.common.events.PredictionMade.ImagePrediction;
import io.stagetune.common.events.PredictionMade.LabelProbability;
import io.stagetune.common.events.Split;
import io.stagetune.common.storage.ObjectStore;
import io.stagetune.ingest.TestImages;
import io.stagetune.localstack.infrastructure.EmbeddedKafka;
import io.stagetune.localstack.infrastructure.EmbeddedS3;
import io.stagetune.testsupport.InjectKafka;
import io.stagetune.testsupport.InjectS3;
import io.stagetune.testsupport.KafkaTestResource;
import io.stagetune.testsupport.PrometheusText;
import io.stagetune.testsupport.S3TestResource;
import io.stagetune.testsupport.TopicEvents;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.stagetune.ingest.IngestTestSupport.BUCKET;
import static io.stagetune.ingest.IngestTestSupport.uploader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The review queue through the real parts: predictions published on the real broker as the serving-service
 * publishes them, kept images in the real S3 API, labels through the REST API into real dataset versions.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class ReviewQueueTest {

    private static final String REVIEWER = "test-reviewer-token";
    private static final String IMAGES = "predictions";
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @InjectKafka
    EmbeddedKafka kafka;

    @InjectS3
    EmbeddedS3 s3;

    @Test
    void theAuditPercentageHoldsOverAThousandSeededPredictions() {
        Random random = new Random(19);
        List<PredictionMade> predictions = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            predictions.add(prediction("audit-model", uuid(random), 1, T0.plusSeconds(i), "ds",
                    List.of(image(hex(random), "coat", 0.2 + 0.8 * random.nextDouble())), null));
        }
        publish(predictions);
        await().atMost(Duration.ofSeconds(30)).until(() -> processed("audit-model", 1000));
        // 10% of 1,000 is 100 with a binomial standard deviation of 9.5: 3 deviations either side.
        assertThat(picked("audit-model", "audit")).isBetween(72, 128);
        assertThat(picked("audit-model", "uncertain")).isZero();
    }

    @Test
    void uncertainPicksRespectTheThresholdTheClassCapAndTheRateLimit() {
        Random random = new Random(5);
        List<PredictionMade> predictions = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            predictions.add(prediction("cap-model", uuid(random), 1, T0.plusSeconds(i), "ds",
                    List.of(image(hex(random), "coat", 0.3)), null));
        }
        for (int i = 0; i < 10; i++) {
            predictions.add(prediction("cap-model", uuid(random), 1, T0.plusSeconds(20 + i), "ds",
                    List.of(image(hex(random), "bag", 0.4)), null));
        }
        for (int i = 0; i < 5; i++) {
            predictions.add(prediction("cap-model", uuid(random), 1, T0.plusSeconds(40 + i), "ds",
                    List.of(image(hex(random), "shirt", 0.9)), null));
        }
        // Two hours later the rate limit has room again, but bag has 2 open items of its cap of 3.
        for (int i = 0; i < 4; i++) {
            predictions.add(prediction("cap-model", uuid(random), 1, T0.plusSeconds(7200 + i), "ds",
                    List.of(image(hex(random), "bag", 0.1)), null));
        }
        publish(predictions);
        publish(List.of(predictions.get(0)));
        await().atMost(Duration.ofSeconds(30)).until(() -> processed("cap-model", predictions.size() + 1));

        JsonPath queue = queue("cap-model", "state=all&limit=100");
        // coat: 3 (class cap); bag: 2 (the hour's limit of 5 picks), then 1 more two hours later (cap 3);
        // shirt: confident, never; the redelivered first prediction is not picked twice.
        assertThat(queue.getList("items.predictedLabel")).containsExactly("coat", "coat", "coat", "bag", "bag",
                "bag");
        assertThat(queue.getList("items.reason")).containsOnly("uncertain");
        assertThat(queue.getList("items.id")).first().isEqualTo(predictions.get(0).predictionId().toString());
        assertThat(queue("cap-model", "label=bag").getList("items")).hasSize(3);
        assertThat(queue("cap-model", "reason=audit").getList("items")).isEmpty();
        List<Map<String, Object>> top = queue.getList("items[0].top");
        assertThat(top).first().satisfies(answer -> assertThat(answer).containsEntry("label", "coat"));
    }

    @Test
    void labelsBecomeOneDatasetVersionPerBatchWithTheirProvenance() {
        String dataset = "review-labels";
        var seed = uploader().multiPart("label", "coat");
        TestImages.pngs("train", "coat", 3).forEach(file -> seed.multiPart("file", file.toFile(), "image/png"));
        seed.post("/datasets/{id}/images", dataset).then().statusCode(201);
        uploader().multiPart("file", TestImages.pngs("train", "bag", 1).get(0).toFile(), "image/png")
                .multiPart("label", "bag").post("/datasets/{id}/images", dataset).then().statusCode(201);

        List<Path> coats = TestImages.pngs("test", "coat", 3);
        Path bag = TestImages.pngs("test", "bag", 1).get(0);
        Random random = new Random(7);
        List<PredictionMade> predictions = new ArrayList<>();
        List<Path> files = List.of(coats.get(0), coats.get(1), bag, coats.get(2));
        for (int i = 0; i < files.size(); i++) {
            predictions.add(prediction("label-model", uuid(random), 4, T0.plusSeconds(i), dataset,
                    List.of(keptImage("label-model", files.get(i), "coat", 0.55)), null));
        }
        // One request with two images: items <predictionId>.1 and .2.
        predictions.add(prediction("label-model", uuid(random), 4, T0.plusSeconds(9), dataset,
                List.of(keptImage("label-model", TestImages.pngs("test", "bag", 3).get(1), "bag", 0.5),
                        keptImage("label-model", TestImages.pngs("test", "bag", 3).get(2), "bag", 0.5)), null));
        publish(predictions);
        await().atMost(Duration.ofSeconds(30)).until(() -> queue("label-model", "").getList("items").size() == 6);
        List<String> ids = queue("label-model", "").getList("items.id");
        assertThat(ids.get(4)).isEqualTo(predictions.get(4).predictionId() + ".1");
        assertThat(ids.get(5)).isEqualTo(predictions.get(4).predictionId() + ".2");

        // Bad input: nothing stored, clear 4xx.
        label("label-model", ids.get(0), "shoe", REVIEWER).then().statusCode(422)
                .body("error", org.hamcrest.Matchers.containsString("not one of dataset review-labels's labels"));
        label("label-model", ids.get(0), "../coat", REVIEWER).then().statusCode(422);
        label("label-model", ids.get(0), "coat", null).then().statusCode(401);
        label("label-model", ids.get(0), "coat", "test-reader-token").then().statusCode(403);
        label("label-model", "no-such-item", "coat", REVIEWER).then().statusCode(404);
        label("no-such-model", ids.get(0), "coat", REVIEWER).then().statusCode(404)
                .body("error", org.hamcrest.Matchers.containsString("unknown model 'no-such-model'"));
        given().header("Authorization", "Bearer " + REVIEWER).contentType("application/json").body("{}")
                .post("/models/label-model/review/{id}", ids.get(0)).then().statusCode(400);
        assertThat(given().get("/datasets/{id}", dataset).jsonPath().getInt("staged")).isZero();

        JsonPath first = label("label-model", ids.get(0), "coat", REVIEWER).then().statusCode(200).extract()
                .jsonPath();
        assertThat(first.getString("image")).isEqualTo("accepted");
        assertThat(first.getString("datasetId")).isEqualTo(dataset);
        assertThat((Object) first.get("version")).isNull();
        // The same label again is idempotent; another label for it is a conflict.
        label("label-model", ids.get(0), "coat", REVIEWER).then().statusCode(200).body("label",
                org.hamcrest.Matchers.equalTo("coat"));
        label("label-model", ids.get(0), "bag", REVIEWER).then().statusCode(409);
        label("label-model", ids.get(2), "bag", REVIEWER).then().statusCode(200).body("version",
                org.hamcrest.Matchers.nullValue());
        assertThat(given().get("/datasets/{id}", dataset).jsonPath().getInt("staged")).isEqualTo(2);
        JsonPath third = label("label-model", ids.get(1), "coat", REVIEWER).then().statusCode(200).extract()
                .jsonPath();
        assertThat(third.getInt("version")).isEqualTo(3);

        ObjectStore store = new ObjectStore(s3.settings());
        List<ManifestEntry> v3 = new String(store.get(BUCKET, dataset + "/manifests/v3.jsonl"), StandardCharsets.UTF_8)
                .lines().map(line -> EventJson.readDocument(line.getBytes(StandardCharsets.UTF_8),
                        ManifestEntry.class)).toList();
        List<ManifestEntry> fromProduction = v3.stream().filter(entry -> entry.provenance() != null).toList();
        assertThat(fromProduction).extracting(ManifestEntry::sha256).containsExactlyInAnyOrder(
                TestImages.sha256(TestImages.bytes(coats.get(0))), TestImages.sha256(TestImages.bytes(coats.get(1))),
                TestImages.sha256(TestImages.bytes(bag)));
        assertThat(fromProduction).allSatisfy(entry -> {
            assertThat(entry.provenance().source()).isEqualTo("production");
            assertThat(entry.provenance().model()).isEqualTo("label-model");
            assertThat(entry.provenance().modelVersion()).isEqualTo(4);
            assertThat(entry.provenance().reviewer()).isEqualTo("reviewer");
            assertThat(entry.provenance().reason()).isEqualTo("uncertain");
            assertThat(entry.split()).isNotEqualTo(Split.AUDIT);
        });
        assertThat(fromProduction).filteredOn(entry -> entry.label().equals("bag")).singleElement()
                .satisfies(entry -> assertThat(entry.provenance().predictionId())
                        .isEqualTo(predictions.get(2).predictionId().toString()));
        assertThat(v3).hasSize(7);
        JsonPath version = given().get("/datasets/{id}/versions/3", dataset).jsonPath();
        assertThat(version.getInt("imageCount")).isEqualTo(7);
        assertThat(queue("label-model", "").getInt("open")).isEqualTo(3);
        assertThat(queue("label-model", "state=labelled").getList("items.reviewer")).containsOnly("reviewer");

        // The kept image is served for the person who labels it.
        byte[] served = given().get("/models/label-model/review/{id}/image", ids.get(3)).then().statusCode(200)
                .contentType("image/png").extract().asByteArray();
        assertThat(served).isEqualTo(TestImages.bytes(coats.get(2)));
        // Seal on demand: the fourth label waits for no batch.
        label("label-model", ids.get(3), "coat", REVIEWER).then().statusCode(200);
        given().header("Authorization", "Bearer " + REVIEWER).post("/models/label-model/review/seal")
                .then().statusCode(201).body("version", org.hamcrest.Matchers.equalTo(4));
    }

    @Test
    void aNewLabelIsAcceptedWhereTheModelAllowsIt() {
        String dataset = "review-open";
        uploader().multiPart("file", TestImages.pngs("train", "coat", 4).get(3).toFile(), "image/png")
                .multiPart("label", "coat").post("/datasets/{id}/images", dataset).then().statusCode(201);
        PredictionMade prediction = prediction("open-model", uuid(new Random(3)), 1, T0, dataset,
                List.of(keptImage("open-model", TestImages.pngs("test", "shirt", 1).get(0), "coat", 0.6)), null);
        publish(List.of(prediction));
        await().atMost(Duration.ofSeconds(30)).until(() -> processed("open-model", 1));
        label("open-model", prediction.predictionId().toString(), "shirt", REVIEWER).then().statusCode(200)
                .body("image", org.hamcrest.Matchers.equalTo("accepted"));
        given().header("Authorization", "Bearer " + REVIEWER).post("/models/open-model/review/seal")
                .then().statusCode(201).body("newLabels", org.hamcrest.Matchers.contains("shirt"));
    }

    @Test
    void liveAccuracyIsWhatTheAuditLabelsSayAndNarrowsWithMoreLabels() {
        String dataset = "review-live";
        uploader().multiPart("file", TestImages.pngs("train", "coat", 5).get(4).toFile(), "image/png")
                .multiPart("label", "coat").multiPart("file", TestImages.pngs("train", "bag", 2).get(1).toFile(),
                        "image/png").multiPart("label", "bag").post("/datasets/{id}/images", dataset)
                .then().statusCode(201);
        Random random = new Random(11);
        // 10 images, truth: 6 coats, 4 bags. Production predicts coat for 5 of the coats and 2 of the bags;
        // the shadow version 5 answers right except on one coat.
        String[] truth = {"coat", "coat", "coat", "coat", "coat", "coat", "bag", "bag", "bag", "bag"};
        String[] predicted = {"coat", "coat", "coat", "coat", "coat", "bag", "coat", "coat", "bag", "bag"};
        String[] shadow = {"coat", "coat", "coat", "coat", "bag", "coat", "bag", "bag", "bag", "bag"};
        List<Path> images = new ArrayList<>(TestImages.pngs("test", "coat", 20).subList(3, 9));
        images.addAll(TestImages.pngs("test", "bag", 20).subList(3, 7));
        List<PredictionMade> predictions = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            predictions.add(prediction("live-model", uuid(random), 2, T0.plusSeconds(i), dataset,
                    List.of(keptImage("live-model", images.get(i), predicted[i], 0.9)),
                    new PredictionMade.Shadow(5, "shadow", List.of(new LabelProbability(shadow[i], 0.8)))));
        }
        publish(predictions);
        await().atMost(Duration.ofSeconds(30)).until(() -> queue("live-model", "").getList("items").size() == 10);
        given().get("/models/live-model/live").then().statusCode(404);
        // Labelled in two halves of 3 right of 5 and 4 right of 5: the interval narrows with N.
        int[] firstHalf = {0, 5, 6, 8, 9};
        int[] secondHalf = {1, 2, 3, 4, 7};
        for (int i : firstHalf) {
            label("live-model", predictions.get(i).predictionId().toString(), truth[i], REVIEWER).then()
                    .statusCode(200).body("split", org.hamcrest.Matchers.equalTo("audit"));
        }
        double[] fiveWide = interval(given().get("/models/live-model/live").jsonPath(), "interval");
        for (int i : secondHalf) {
            label("live-model", predictions.get(i).predictionId().toString(), truth[i], REVIEWER).then()
                    .statusCode(200);
        }
        JsonPath live = given().get("/models/live-model/live").then().statusCode(200).extract().jsonPath();
        assertThat(live.getLong("version")).isEqualTo(2);
        assertThat(live.getInt("labels")).isEqualTo(10);
        // Correct: 5 coats + 2 bags = 7 of 10.
        assertThat(live.getDouble("accuracy")).isCloseTo(0.7, within(1e-6));
        assertThat(live.getList("classes.label")).containsExactly("bag", "coat");
        assertThat(live.getDouble("classes[1].recall")).isCloseTo(5 / 6.0, within(1e-6));
        assertThat(live.getDouble("classes[0].recall")).isCloseTo(2 / 4.0, within(1e-6));
        assertThat(live.getDouble("classes[1].precision")).isCloseTo(5 / 7.0, within(1e-6));
        assertThat(live.getInt("classes[0].labels")).isEqualTo(4);
        assertThat(live.getList("confusion.counts[1]", Integer.class)).containsExactly(1, 5);
        assertThat(live.getList("confusion.counts[0]", Integer.class)).containsExactly(2, 2);
        double[] tenWide = interval(live, "interval");
        assertThat(tenWide[0]).isLessThan(0.7);
        assertThat(tenWide[1]).isGreaterThan(0.7);
        assertThat(tenWide[1] - tenWide[0]).isLessThan(fiveWide[1] - fiveWide[0]);
        // Shadow: agrees with production on 6 of 10 (per production label: coat 4 of 7, bag 2 of 3); right on 9.
        assertThat(live.getLong("shadow.version")).isEqualTo(5);
        assertThat(live.getDouble("shadow.agreement")).isCloseTo(0.6, within(1e-6));
        assertThat(live.getList("shadow.classes.label")).containsExactly("bag", "coat");
        assertThat(live.getList("shadow.classes.agreements", Integer.class)).containsExactly(2, 4);
        assertThat(live.getDouble("shadow.accuracy")).isCloseTo(0.9, within(1e-6));
        // Audit labels are held out of training: the audit split; the gauges say the same figure.
        assertThat(given().get("/datasets/{id}", dataset).jsonPath().getInt("staged")).isEqualTo(10);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(PrometheusText.value(
                given().get("/q/metrics").asString(), "ingest_live_accuracy",
                Map.of("model", "live-model", "version", "2"))).isCloseTo(0.7, within(1e-6)));
    }

    private static double[] interval(JsonPath json, String path) {
        List<Float> bounds = json.getList(path, Float.class);
        return new double[] {bounds.get(0), bounds.get(1)};
    }

    private static io.restassured.response.Response label(String model, String id, String label, String token) {
        var request = given().contentType("application/json").body(Map.of("label", label));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request.post("/models/{model}/review/{id}", model, id);
    }

    private static JsonPath queue(String model, String query) {
        return given().get("/models/" + model + "/review" + (query.isEmpty() ? "" : "?" + query)).then()
                .statusCode(200).extract().jsonPath();
    }

    private static int picked(String model, String reason) {
        return given().get("/models/" + model + "/review?state=all&limit=1000&reason=" + reason).jsonPath()
                .getList("items").size();
    }

    /** Whether the consumer has applied this many predictions of the model. */
    private static boolean processed(String model, int predictions) {
        return PrometheusText.value(given().get("/q/metrics").asString(), "ingest_review_predictions_total",
                Map.of("model", model)) >= predictions;
    }

    private ImagePrediction keptImage(String model, Path file, String label, double probability) {
        byte[] bytes = TestImages.bytes(file);
        String sha256 = TestImages.sha256(bytes);
        ObjectStore store = new ObjectStore(s3.settings());
        store.ensureBucket(IMAGES);
        store.put(IMAGES, model + "/" + sha256, bytes, "image/png");
        return new ImagePrediction(sha256, List.of(new LabelProbability(label, probability),
                new LabelProbability("other", 1 - probability)), true);
    }

    private static ImagePrediction image(String sha256, String label, double probability) {
        return new ImagePrediction(sha256, List.of(new LabelProbability(label, probability)), true);
    }

    private static PredictionMade prediction(String model, UUID id, long version, Instant at, String dataset,
                                             List<ImagePrediction> images, PredictionMade.Shadow shadow) {
        return new PredictionMade(PipelineEvent.newId(), PipelineEvent.SCHEMA_VERSION, at, id, model, version,
                "production", images, 3.0, dataset, shadow);
    }

    private void publish(List<PredictionMade> predictions) {
        TopicEvents.publishAll(kafka.bootstrapServers(), predictions);
    }

    private static UUID uuid(Random random) {
        return new UUID(random.nextLong(), random.nextLong());
    }

    private static String hex(Random random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return java.util.HexFormat.of().formatHex(bytes);
    }
}
