package io.stagetune.registry.console;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.stagetune.testsupport.KafkaTestResource;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import static io.restassured.RestAssured.given;

/**
 * Prints how long the console's heaviest pages take to render with 200 versions of 50 classes: the models page, the
 * model page (a table of 200 versions) and a version page (50 classes, a 50 x 50 confusion matrix twice). Not part of
 * the suite (its name does not end in Test); run it with
 * {@code ./mvnw -o -pl model-registry test -Dtest=ConsoleBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 * It measures requests on localhost, so the figures are the registry's server time plus a loopback round trip.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
class ConsoleBenchmark {

    static final String MODEL = "bench";
    static final int VERSIONS = 200;
    static final int CLASSES = 50;
    static final int WARM_UP = 30;
    static final int TIMED = 100;

    @TestHTTPResource("/")
    URL root;

    @Test
    void printRenderTimes() throws Exception {
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < CLASSES; i++) {
            labels.add("class-" + i);
        }
        Random random = new Random(200);
        long began = System.nanoTime();
        String parent = null;
        for (int version = 1; version <= VERSIONS; version++) {
            int run = (version - 1) / 3;
            String stage = List.of("HEAD", "LAYER4", "FULL").get((version - 1) % 3);
            String checkpoint = "s3://checkpoints/" + MODEL + "/run-" + run + "/" + stage + "/";
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("runId", MODEL + ".run-" + run);
            body.put("stage", stage);
            body.put("checkpoint", checkpoint);
            body.put("parentCheckpoint", stage.equals("HEAD") ? null : parent);
            body.put("datasetId", "bench");
            body.put("datasetVersion", run + 1);
            body.put("labels", labels);
            body.put("metrics", metrics(labels, random));
            given().header("Authorization", "Bearer test-evaluator-token").contentType(ContentType.JSON)
                    .body(body).post("/models/{model}/versions", MODEL).then().statusCode(201);
            parent = checkpoint;
        }
        System.out.printf(Locale.ROOT, "registered %d versions of %d classes in %.1f s%n", VERSIONS, CLASSES,
                (System.nanoTime() - began) / 1e9);
        given().header("Authorization", "Bearer test-admin-token").contentType(ContentType.JSON)
                .body(Map.of("version", VERSIONS, "reason", "benchmark"))
                .put("/models/{model}/aliases/production", MODEL).then().statusCode(200);

        HttpClient http = HttpClient.newHttpClient();
        String model = "console/models/" + MODEL;
        for (String page : List.of("", model, model + "/versions/" + VERSIONS)) {
            URI uri = URI.create(root + page);
            long[] millis = new long[TIMED];
            int bytes = 0;
            for (int i = 0; i < WARM_UP + TIMED; i++) {
                long start = System.nanoTime();
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).build(),
                        HttpResponse.BodyHandlers.ofString());
                long elapsed = System.nanoTime() - start;
                if (response.statusCode() != 200) {
                    throw new IllegalStateException(uri + " answered " + response.statusCode());
                }
                bytes = response.body().length();
                if (i >= WARM_UP) {
                    millis[i - WARM_UP] = elapsed;
                }
            }
            Arrays.sort(millis);
            System.out.printf(Locale.ROOT, "/%-40s median %6.1f ms  p95 %6.1f ms  max %6.1f ms  (%d kB)%n", page,
                    millis[TIMED / 2] / 1e6, millis[TIMED * 95 / 100] / 1e6, millis[TIMED - 1] / 1e6, bytes / 1000);
        }
    }

    private static Map<String, Object> metrics(List<String> labels, Random random) {
        List<Map<String, Object>> perClass = new ArrayList<>();
        List<List<Integer>> matrix = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            double accuracy = 0.7 + random.nextInt(300) / 1000.0;
            perClass.add(Map.of("label", labels.get(i), "accuracy", accuracy, "precision", accuracy,
                    "recall", accuracy, "f1", accuracy, "support", 100));
            List<Integer> row = new ArrayList<>();
            for (int j = 0; j < labels.size(); j++) {
                row.add(i == j ? (int) Math.round(accuracy * 100) : random.nextInt(2));
            }
            matrix.add(row);
        }
        return Map.of("accuracy", 0.85, "macroPrecision", 0.85, "macroRecall", 0.85, "macroF1", 0.85,
                "imagesEvaluated", 100 * labels.size(), "perClass", perClass, "confusionMatrix", matrix);
    }
}
