package io.stagetune.localstack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.stagetune.localstack.infrastructure.ServiceProcess;
import io.stagetune.common.events.EventJson;
import io.stagetune.localstack.LocalStack;
import io.stagetune.testsupport.HeadlessChromium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static io.stagetune.localstack.TestMachine.repositoryRoot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The demo, scaled down to the bundled sample, through all four services as processes over the real broker and
 * S3Proxy: a base is pretrained (plan FULL) and promoted; the target images trigger a run HEAD → LAYER4 → FULL from
 * the base's production backbone, every checkpoint is evaluated per class and registered with its lineage, the
 * best is promoted; a second batch triggers a second run whose candidate is rejected by the paired gate (its
 * minimum effect is set out of reach), and production stays where it was. Then the feedback loop (--loop): traffic
 * of images no batch took goes through the serving-service, the ingest-service picks uncertain and audit predictions,
 * the demo labels them, seals a version whose run is rejected in turn, and prints the live figures before and after.
 * The registry is then restarted on the same data folder to
 * check what it kept, and the web console it serves is read in a real browser (skipped without Debian's chromium).
 */
class DemoEndToEndTest {

    private static final List<String> TARGET = List.of("sandal", "shirt", "sneaker", "bag", "ankle-boot");
    private static final int TEST_PER_CLASS = 20;

    @TempDir
    Path data;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void ingestTrainsThreeStagesPromotesTheBestThenRejectsACandidateThatIsNotBetter() throws Exception {
        Path repository = repositoryRoot();
        for (LocalStack.Service service : LocalStack.Service.values()) {
            Path runner = ServiceProcess.runner(repository, service.module());
            assumeTrue(Files.isRegularFile(runner), service.module() + " is not packaged (" + runner
                    + "); run the whole build (./mvnw verify) to include this test");
        }
        List<String> arguments = new ArrayList<>(List.of("demo", "--data-dir", data.toString(),
                "--repository", repository.toString(), "--data",
                repository.resolve("fixtures/fashion-mnist-sample").toString(), "--free-ports",
                "--backbone", "fixtures/backbones/resnet-tiny.pt",
                "--source-per-class", "40", "--per-class", "30", "--second-batch", "10", "--val-per-class", "10",
                "--test-per-class", Integer.toString(TEST_PER_CLASS),
                "--evaluator-property", "evaluator.promotion.min-effect=0.5",
                // The sample's 60 training images per class leave 10 to the loop's traffic, 25 images a round; any
                // new training image triggers a run, and 40% audit picks make live figures on so few certain.
                "--loop", "--traffic-per-class", "10", "--trainer-property", "trainer.planner.min-new-images=1",
                "--ingest-property", "ingest.review.audit-percent=40",
                "--timeout", "PT8M"));
        for (String model : List.of("fashion-base", "fashion")) {
            arguments.addAll(List.of("--trainer-property", "trainer.models." + model + ".hyperparameters.maxEpochs=2",
                    "--trainer-property", "trainer.models." + model + ".hyperparameters.head.maxEpochs=2",
                    "--trainer-property", "trainer.models." + model + ".hyperparameters.layer4.maxEpochs=2",
                    "--trainer-property", "trainer.models." + model + ".hyperparameters.full.maxEpochs=2"));
        }
        StringWriter output = new StringWriter();
        StringWriter errors = new StringWriter();
        int exit = new CommandLine(new PipelineCommand()).setOut(new PrintWriter(output))
                .setErr(new PrintWriter(errors)).execute(arguments.toArray(String[]::new));
        String printed = output.toString();
        assertThat(exit).as(printed + errors).isZero();
        assertThat(printed)
                .contains("Pretraining base model 'fashion-base'")
                .contains("Fine-tuning model 'fashion'")
                .contains("HEAD   epoch  2/2", "LAYER4 epoch  2/2", "FULL   epoch  2/2")
                .contains("Decision: PROMOTED to production")
                .contains("Decision: REJECTED, production stays at version")
                .contains("paired gate on the same test images")
                .contains("min-effect 0.500");
        String loop = printed.substring(printed.indexOf("The feedback loop: 25 images of the target classes"));
        assertThat(loop).as(printed).contains("25 predictions in 2 requests to POST /models/fashion/predict",
                "labelled ", "The labelled traffic triggered run fashion.fashion-target.v3",
                "Decision: REJECTED, production stays at version", "Traffic again: 25 other images to version");
        assertThat(loop).containsPattern("\nlive  version \\d+: accuracy \\d\\.\\d{3} \\[");
        String live = loop.substring(loop.indexOf("Live accuracy per class from audit labels"));
        assertThat(live.lines().skip(1).takeWhile(line -> !line.isBlank()).toList()).hasSizeGreaterThan(4)
                .allSatisfy(line -> assertThat(line).startsWith("live  "))
                .anySatisfy(line -> assertThat(line).startsWith("live  before: version"))
                .anySatisfy(line -> assertThat(line).startsWith("live  accuracy"));

        LocalStack.Settings settings = LocalStack.Settings.defaults(repository).withDataDirectory(data)
                .onFreePorts();
        settings = new LocalStack.Settings(settings.repository(), settings.dataDirectory(), settings.kafkaPort(),
                settings.s3Port(), Set.of(LocalStack.Service.REGISTRY), settings.ports(), Map.of());
        try (LocalStack registryOnly = LocalStack.start(settings, line -> { })) {
            String registry = registryOnly.url(LocalStack.Service.REGISTRY);
            JsonNode base = get(registry + "/models/fashion-base/aliases/production/version");
            JsonNode production = get(registry + "/models/fashion/aliases/production/version");

            // The first run: three versions chained by their parents, from the base's production backbone.
            Map<String, JsonNode> firstRun = byStage(get(registry + "/models/fashion/versions?runId="
                    + production.path("runId").asText()));
            assertThat(production.path("runId").asText()).isEqualTo("fashion.fashion-target.v1");
            assertThat(firstRun.keySet()).containsExactlyInAnyOrder("HEAD", "LAYER4", "FULL");
            assertThat(firstRun.get("LAYER4").path("parentCheckpoint").asText())
                    .isEqualTo(firstRun.get("HEAD").path("checkpoint").asText());
            assertThat(firstRun.get("FULL").path("parentCheckpoint").asText())
                    .isEqualTo(firstRun.get("LAYER4").path("checkpoint").asText());
            assertThat(production.path("baseBackbone").asText())
                    .startsWith(base.path("checkpoint").asText().replaceAll("/checkpoint\\.json$", ""));
            List<String> lineageStages = new ArrayList<>();
            production.path("lineage").forEach(entry -> lineageStages.add(entry.path("stage").asText()));
            assertThat(lineageStages).as("lineage of " + production).isEqualTo(switch (production.path("stage")
                    .asText()) {
                case "FULL" -> List.of("LAYER4", "HEAD");
                case "LAYER4" -> List.of("HEAD");
                default -> List.of();
            });
            double bestAccuracy = firstRun.values().stream().mapToDouble(v -> v.path("accuracy").asDouble())
                    .max().orElseThrow();
            assertThat(production.path("metrics").path("accuracy").asDouble()).isLessThanOrEqualTo(bestAccuracy);

            // Per-class metrics on the 100 test images of the target classes, consistent with the confusion matrix.
            JsonNode metrics = production.path("metrics");
            assertThat(metrics.path("imagesEvaluated").asInt()).isEqualTo(TARGET.size() * TEST_PER_CLASS);
            List<String> labels = new ArrayList<>();
            production.path("labels").forEach(label -> labels.add(label.asText()));
            assertThat(labels).containsExactlyInAnyOrderElementsOf(TARGET);
            JsonNode matrix = metrics.path("confusionMatrix");
            long diagonal = 0;
            for (int row = 0; row < labels.size(); row++) {
                JsonNode perClass = metrics.path("perClass").get(row);
                long rowSum = 0;
                for (JsonNode cell : matrix.get(row)) {
                    rowSum += cell.asLong();
                }
                diagonal += matrix.get(row).get(row).asLong();
                assertThat(perClass.path("label").asText()).isEqualTo(labels.get(row));
                assertThat(perClass.path("support").asLong()).isEqualTo(rowSum).isEqualTo(TEST_PER_CLASS);
                assertThat(perClass.path("accuracy").asDouble())
                        .isCloseTo((double) matrix.get(row).get(row).asLong() / TEST_PER_CLASS,
                                org.assertj.core.data.Offset.offset(1e-9));
            }
            assertThat(metrics.path("accuracy").asDouble()).isCloseTo((double) diagonal / (TARGET.size()
                    * TEST_PER_CLASS), org.assertj.core.data.Offset.offset(1e-9));
            assertThat(metrics.path("accuracy").asDouble()).as("well above chance (0.2)").isGreaterThan(0.4);

            // The second run continued from production (the demo's recipe), was evaluated and rejected; production
            // and its history did not move.
            JsonNode firstWarmStart = get(registry + "/runs/fashion.fashion-target.v1").path("warmStart");
            assertThat(firstWarmStart.path("version").isMissingNode()).as("the first run starts from the base")
                    .isTrue();
            assertThat(get(registry + "/runs/fashion.fashion-target.v2").path("warmStart").path("version").asLong())
                    .isEqualTo(production.path("version").asLong());
            assertThat(get(registry + "/models/fashion/versions?runId=fashion.fashion-target.v2")).hasSize(3);
            JsonNode history = get(registry + "/models/fashion/aliases/production/history");
            assertThat(history).hasSize(1);
            assertThat(history.get(0).path("fromVersion").isNull()).isTrue();
            assertThat(history.get(0).path("toVersion").asLong()).isEqualTo(production.path("version").asLong());
            JsonNode promotions = get(registry + "/models/fashion/promotions");
            assertThat(promotions).as("the two batches' runs and the loop's").hasSize(3);
            Map<String, JsonNode> decisions = new HashMap<>();
            promotions.forEach(decision -> decisions.put(decision.path("runId").asText(), decision));
            assertThat(decisions.get("fashion.fashion-target.v1").path("promoted").asBoolean()).isTrue();
            JsonNode rejected = decisions.get("fashion.fashion-target.v2");
            assertThat(rejected.path("promoted").asBoolean()).isFalse();
            assertThat(rejected.path("productionVersion").asLong()).isEqualTo(production.path("version").asLong());
            // Rejected as no better than production, or better but not with confidence (small models vary).
            assertThat(rejected.path("reasons").toString()).containsAnyOf("min-effect 0.500",
                    "not better with confidence");
            assertThat(rejected.path("statistics").path("overall").path("images").asInt())
                    .isEqualTo(rejected.path("candidateMetrics").path("imagesEvaluated").asInt());
            assertThat(rejected.path("statistics").path("overall").path("verdict").asText()).isEqualTo("FAIL");
            assertThat(rejected.path("statistics").path("perClass")).hasSize(TARGET.size());
            assertThat(decisions.get("fashion.fashion-target.v3").path("promoted").asBoolean()).isFalse();

            consoleShows(registry, production, rejected);
        }
    }

    /**
     * The web console on what this pipeline run stored, in a real browser: every page renders without a console
     * error, production's page shows the registry's per-class figures, the rejected decision its verdict, and the
     * first run's curve one point per epoch the trainer reported.
     */
    private void consoleShows(String registry, JsonNode production, JsonNode rejected) throws Exception {
        if (!HeadlessChromium.installed("the console part of DemoEndToEndTest")) {
            return;
        }
        String versionPage = "/console/models/fashion/versions/" + production.path("version").asLong();
        String decisionPage = "/console/models/fashion/decisions/" + rejected.path("id").asLong();
        String runPage = "/console/runs/fashion.fashion-target.v1";
        WebDriver browser = HeadlessChromium.start();
        try {
            for (String page : List.of("/", "/console/models/fashion", versionPage, decisionPage, "/console/runs",
                    runPage, "/console/datasets")) {
                browser.get(registry + page);
                assertThat(browser.findElement(By.tagName("h1")).getText()).as(page).isNotBlank();
                assertThat(HeadlessChromium.severeLogs(browser)).as("console errors on " + page).isEmpty();
            }

            browser.get(registry + versionPage);
            List<String> fields = browser.findElements(By.cssSelector("#per-class thead th")).stream()
                    .map(WebElement::getText).toList();
            for (JsonNode perClass : production.path("metrics").path("perClass")) {
                List<String> shown = browser.findElements(By.cssSelector("#per-class tr[data-label='"
                        + perClass.path("label").asText() + "'] td.num")).stream().map(WebElement::getText).toList();
                assertThat(shown.get(fields.indexOf("accuracy") - 1)).as(perClass.path("label").asText())
                        .isEqualTo(String.format(Locale.ROOT, "%.3f", perClass.path("accuracy").asDouble()));
            }

            browser.get(registry + decisionPage);
            assertThat(browser.findElement(By.id("verdict")).getText()).contains("REJECTED");

            browser.get(registry + runPage);
            int epochs = get(registry + "/runs/fashion.fashion-target.v1/epochs").size();
            assertThat(epochs).as("epochs the registry kept of the first run").isPositive();
            assertThat(browser.findElements(By.cssSelector("#curve-accuracy circle"))).hasSize(epochs);
        } finally {
            browser.quit();
        }
    }

    private Map<String, JsonNode> byStage(JsonNode versions) {
        Map<String, JsonNode> stages = new HashMap<>();
        versions.forEach(version -> stages.put(version.path("stage").asText(), version));
        return stages;
    }

    private JsonNode get(String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(200);
        return EventJson.mapper().readTree(response.body());
    }
}
