package io.stagetune.registry;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;

/** Calls the registry's REST API as its clients do. */
final class RegistryApi {

    static final String ADMIN = "test-admin-token";
    static final String EVALUATOR = "test-evaluator-token";
    static final String TRAINER = "test-trainer-token";
    static final String READER = "test-reader-token";
    static final List<String> LABELS = List.of("bag", "boot", "coat");

    private RegistryApi() {
    }

    static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
    }

    static Map<String, Object> version(String checkpoint, String parentCheckpoint, String stage, String runId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("runId", runId);
        body.put("stage", stage);
        body.put("checkpoint", checkpoint);
        body.put("parentCheckpoint", parentCheckpoint);
        body.put("datasetId", "shop");
        body.put("datasetVersion", 3);
        body.put("baseBackbone", "s3://checkpoints/_backbones/resnet18.pt");
        body.put("labels", LABELS);
        body.put("metrics", metrics(0.8));
        return body;
    }

    static Map<String, Object> metrics(double accuracy) {
        return Map.of("accuracy", accuracy, "macroPrecision", 0.79, "macroRecall", 0.78, "macroF1", 0.785,
                "imagesEvaluated", 30,
                "perClass", List.of(
                        Map.of("label", "bag", "accuracy", 0.9, "precision", 0.8, "recall", 0.9, "f1", 0.85,
                                "support", 10),
                        Map.of("label", "boot", "accuracy", 0.8, "precision", 0.8, "recall", 0.8, "f1", 0.8,
                                "support", 10),
                        Map.of("label", "coat", "accuracy", 0.7, "precision", 0.78, "recall", 0.7, "f1", 0.74,
                                "support", 10)),
                "confusionMatrix", List.of(List.of(9, 1, 0), List.of(1, 8, 1), List.of(1, 2, 7)));
    }

    static Response register(String model, Map<String, Object> body) {
        return as(EVALUATOR).body(body).post("/models/{model}/versions", model);
    }

    /** Registers n versions of a new model, each trained from the previous one, and returns their numbers. */
    static void registerChain(String model, int n) {
        String parent = null;
        for (int i = 1; i <= n; i++) {
            String checkpoint = "s3://checkpoints/" + model + "/run-1/stage-" + i + "/";
            register(model, version(checkpoint, parent, "FULL", "run-1")).then().statusCode(201);
            parent = checkpoint;
        }
    }

    static Response move(String model, String alias, long version, String reason) {
        return as(EVALUATOR).body(Map.of("version", version, "reason", reason))
                .put("/models/{model}/aliases/{alias}", model, alias);
    }
}
