package io.stagetune.registry.console;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.stagetune.common.events.EpochCompleted;
import io.stagetune.common.events.PipelineEvent;
import io.stagetune.common.events.Stage;
import io.stagetune.localstack.infrastructure.EmbeddedKafka;
import io.stagetune.testsupport.HeadlessChromium;
import io.stagetune.testsupport.InjectKafka;
import io.stagetune.testsupport.KafkaTestResource;
import io.stagetune.testsupport.TopicEvents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console through a real browser (Debian's chromium driven by its chromedriver), on a registry populated through
 * its REST API and the training-progress topic the way the trainer and the evaluator populate it. Skipped, with a
 * SKIPPED line, where chromium or chromedriver is not installed.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
class ConsoleBrowserTest {

    static final String MODEL = "console-shop";
    static final String RUN = "console-shop.shop.v2";
    static final List<String> LABELS = List.of("bag", "boot", "coat", "dress");

    /** What sticks out of the page sideways: "none", or the width it overflows by and the first elements too wide. */
    static final String OVERFLOW = "var w = document.documentElement.clientWidth;"
            + "var over = document.documentElement.scrollWidth - w; if (over <= 0) return 'none';"
            + "function clipped(e) { for (var p = e.parentElement; p; p = p.parentElement) {"
            + " if (getComputedStyle(p).overflowX !== 'visible') return true; } return false; }"
            + "var wide = []; document.querySelectorAll('body *').forEach(function (e) {"
            + " if (wide.length < 4 && e.getBoundingClientRect().right > w + 1 && !clipped(e))"
            + " wide.push(e.tagName + '.' + e.className + ' ' + getComputedStyle(e).display); });"
            + "return over + ' px too wide at ' + w + ': ' + wide.join(', ');";

    static WebDriver browser;

    @InjectKafka
    EmbeddedKafka kafka;

    @TestHTTPResource("/")
    URL root;

    @BeforeAll
    static void startBrowser() throws Exception {
        Assumptions.assumeTrue(HeadlessChromium.installed("ConsoleBrowserTest"),
                "chromium and chromium-driver are not installed");
        browser = HeadlessChromium.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void theConsoleShowsWhatTheRegistryStoresAndMovesAliasesWithTheAdminToken() {
        long decisionId = populate();

        for (String page : List.of("", "console/models/" + MODEL, "console/models/" + MODEL + "/versions/2",
                "console/models/" + MODEL + "/decisions/" + decisionId, "console/runs", "console/runs/" + RUN,
                "console/datasets")) {
            open(page);
            assertThat(browser.findElement(By.tagName("h1")).getText()).as(page).isNotBlank();
            screenshot(page);
            assertThat(severeLogs()).as("console errors on /" + page).isEmpty();
        }

        open("console/models/" + MODEL + "/versions/2");
        JsonPath stored = given().get("/models/{model}/versions/2", MODEL).then().statusCode(200).extract().jsonPath();
        assertThat(given().get("/runs/{run}", RUN).then().statusCode(200).extract().jsonPath().getString("warmStart"))
                .isNull();
        assertThat(browser.findElement(By.id("warm-start")).getText()).contains("base backbone");
        List<String> fields = texts(By.cssSelector("#per-class thead th"));
        for (int i = 0; i < LABELS.size(); i++) {
            String label = stored.getString("metrics.perClass[" + i + "].label");
            List<String> shown = texts(By.cssSelector("#per-class tr[data-label='" + label + "'] td.num"));
            for (String field : List.of("accuracy", "precision", "recall", "f1")) {
                assertThat(shown.get(fields.indexOf(field) - 1)).as(label + " " + field).isEqualTo(String.format(
                        Locale.ROOT, "%.3f", stored.getDouble("metrics.perClass[" + i + "]." + field)));
            }
            assertThat(shown.get(fields.indexOf("support") - 1)).isEqualTo(
                    stored.getString("metrics.perClass[" + i + "].support"));
        }

        open("console/models/" + MODEL + "/decisions/" + decisionId);
        boolean promoted = given().get("/models/{model}/promotions/{id}", MODEL, decisionId).then().statusCode(200)
                .extract().jsonPath().getBoolean("promoted");
        assertThat(browser.findElement(By.id("verdict")).getText()).contains(promoted ? "PROMOTED" : "REJECTED");
        assertThat(browser.findElement(By.cssSelector("#classes tr[data-label='coat']")).getText()).contains("FAIL");
        assertThat(browser.findElements(By.id("statistics"))).as("a decision without statistics").isEmpty();

        long paired = given().get("/models/{model}/promotions", MODEL).then().statusCode(200).extract().jsonPath()
                .getLong("find { it.candidateVersion == 3 }.id");
        open("console/models/" + MODEL + "/decisions/" + paired);
        assertThat(severeLogs()).isEmpty();
        JsonPath decision = given().get("/models/{model}/promotions/{id}", MODEL, paired).then().statusCode(200)
                .extract().jsonPath();
        assertThat(browser.findElement(By.id("verdict")).getText()).contains("REJECTED");
        assertThat(texts(By.cssSelector("#settings dd"))).containsExactly(
                decimals(decision, "statistics.significance"), decimals(decision, "statistics.minEffect"),
                decimals(decision, "statistics.maxClassDrop"), decision.getString("statistics.minClassImages"),
                decision.getString("statistics.unpairedImages"));
        assertThat(comparison(decision, "statistics.overall")).isEqualTo(
                texts(By.cssSelector("#statistics tr.overall td")));
        for (int i = 0; i < LABELS.size(); i++) {
            String label = decision.getString("statistics.perClass[" + i + "].label");
            assertThat(texts(By.cssSelector("#statistics tr[data-label='" + label + "'] td"))).as(label)
                    .isEqualTo(comparison(decision, "statistics.perClass[" + i + "]"));
        }
        assertThat(texts(By.cssSelector("#statistics tbody td:first-of-type"))).as("verdicts as words")
                .containsExactly("FAIL", "PASS", "PASS", "FAIL", "NOT ENOUGH DATA");

        open("console/runs/" + RUN);
        assertThat(points()).isEqualTo(3);
        epoch(Stage.FULL, 2, 0.84);
        await().atMost(Duration.ofSeconds(15)).until(() -> points() == 4);
        assertThat(severeLogs()).isEmpty();

        open("console/models/" + MODEL);
        String firstPromotion = given().get("/models/{model}/aliases/production/history", MODEL).then()
                .statusCode(200).extract().jsonPath().getString("[0].movedAt");
        browser.findElement(By.id("at")).sendKeys(firstPromotion, Keys.ENTER);
        await().atMost(Duration.ofSeconds(10)).until(() -> !browser.findElements(By.id("production-at")).isEmpty());
        assertThat(browser.findElement(By.id("production-at")).getText()).contains("production was version 1");

        ((ChromeDriver) browser).executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", 390,
                "height", 800, "deviceScaleFactor", 1, "mobile", true));
        for (String page : List.of("", "console/models/" + MODEL + "/versions/2", "console/runs/" + RUN)) {
            open(page);
            assertThat(((JavascriptExecutor) browser).executeScript(OVERFLOW)).as("/" + page + " on a phone")
                    .isEqualTo("none");
        }
        ((ChromeDriver) browser).executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());

        open("console/models/" + MODEL);
        rollback("without a token");
        await().atMost(Duration.ofSeconds(10)).until(() -> result().contains("Refused (HTTP 401"));
        assertThat(production()).isEqualTo(2);

        browser.findElement(By.id("token")).sendKeys("test-admin-token");
        browser.findElement(By.cssSelector("#token-form button[type=submit]")).click();
        rollback("bad candidate in the console test");
        await().atMost(Duration.ofSeconds(10)).until(() -> production() == 1);
        assertThat(browser.getPageSource()).doesNotContain("test-admin-token");
        JsonPath last = given().get("/models/{model}/aliases/production", MODEL).then().extract().jsonPath();
        assertThat(last.getString("reason")).contains("bad candidate in the console test");
        assertThat(last.getString("movedBy")).isEqualTo("admin");
    }

    @Test
    void aMissingModelVersionRunOrDecisionAnswersAnHtmlPageNamingIt() {
        Map<String, String> missing = Map.of(
                "console/models/no-such-model", "no-such-model",
                "console/models/no-such-model/versions/7", "no-such-model",
                "console/models/no-such-model/decisions/99999", "no-such-model",
                "console/runs/no-such-run", "no-such-run");
        missing.forEach((page, named) -> {
            given().get("/" + page).then().statusCode(404).contentType(ContentType.HTML);
            open(page);
            assertThat(browser.findElement(By.tagName("h1")).getText()).as(page).isEqualTo("Not found");
            assertThat(browser.findElement(By.id("not-found")).getText()).as(page).contains(named);
        });
        given().get("/models/no-such-model").then().statusCode(404).contentType(ContentType.JSON);
    }

    /**
     * Three versions of a model: the first two promoted in turn (the second with a class that dropped, as the thresholds
     * policy words it), the third rejected by the paired gate with its statistics; and a running run.
     */
    private long populate() {
        as("test-trainer-token").body(Map.of("runId", RUN, "model", MODEL, "datasetId", "shop", "datasetVersion", 2,
                "plan", List.of("HEAD", "FULL"), "trainImages", 400, "labels", LABELS))
                .post("/runs").then().statusCode(201);
        as("test-trainer-token").body(Map.of("status", "RUNNING", "stages", Map.of("HEAD", "COMPLETED",
                "FULL", "RUNNING"))).patch("/runs/{run}", RUN).then().statusCode(200);
        Random random = new Random(20);
        Map<String, Object> first = metrics(random, 0.0);
        Map<String, Object> second = metrics(random, 0.05);
        register(1, "HEAD", null, first);
        register(2, "FULL", "s3://checkpoints/" + MODEL + "/" + RUN + "/HEAD/", second);
        decide(1, null, true, List.of("no production version yet: accuracy 0.700 on shop v2 test"), first, null);
        long decision = decide(2, 1L, true, List.of(
                "accuracy 0.750 vs production 0.700: +0.050 >= min-improvement 0.010",
                "class bag: 0.700 -> 0.760 (+0.060) within max-class-drop 0.050",
                "class coat: 0.700 -> 0.600 (-0.100) exceeds max-class-drop 0.050"), second, first);
        Map<String, Object> third = metrics(random, 0.01);
        register(3, "FULL", "s3://checkpoints/" + MODEL + "/" + RUN + "/HEAD/", third, "FULL-lr-0.01");
        Map<String, Object> statistics = new LinkedHashMap<>();
        statistics.put("policy", "paired");
        statistics.put("significance", 0.05);
        statistics.put("minEffect", 0.01);
        statistics.put("maxClassDrop", 0.05);
        statistics.put("minClassImages", 30);
        statistics.put("unpairedImages", 3);
        statistics.put("overall", comparison(null, 180, 0.7, 0.711, 14, 12, -0.031, 0.052, 0.424, "FAIL"));
        statistics.put("perClass", List.of(
                comparison("bag", 50, 0.72, 0.78, 5, 2, -0.021, 0.141, 0.453, "PASS"),
                comparison("boot", 50, 0.68, 0.74, 6, 3, -0.028, 0.148, 0.508, "PASS"),
                comparison("coat", 50, 0.70, 0.56, 1, 8, -0.252, -0.028, 0.039, "FAIL"),
                comparison("dress", 30 - 10, 0.70, 0.75, 2, 1, null, null, null, "NOT_ENOUGH_DATA")));
        decide(3, 2L, false, List.of("accuracy gain +0.011 is not significant (p 0.424 >= 0.050)",
                "class coat: recall drop with 95% confidence (interval [-0.252, -0.028])"), third, second,
                statistics);
        epoch(Stage.HEAD, 1, 0.62);
        epoch(Stage.HEAD, 2, 0.71);
        epoch(Stage.FULL, 1, 0.80);
        await().atMost(Duration.ofSeconds(15)).until(() -> given().get("/runs/{run}/epochs", RUN).then()
                .extract().jsonPath().getList("epoch").size() == 3);
        return decision;
    }

    private Map<String, Object> metrics(Random random, double shift) {
        List<Map<String, Object>> perClass = new ArrayList<>();
        List<List<Long>> matrix = new ArrayList<>();
        for (int i = 0; i < LABELS.size(); i++) {
            double accuracy = Math.min(1, 0.6 + shift + random.nextInt(300) / 1000.0);
            perClass.add(Map.of("label", LABELS.get(i), "accuracy", accuracy, "precision", accuracy - 0.01,
                    "recall", accuracy, "f1", accuracy - 0.005, "support", 50));
            List<Long> row = new ArrayList<>();
            long correct = Math.round(accuracy * 50);
            for (int j = 0; j < LABELS.size(); j++) {
                row.add(j == i ? correct : (j == (i + 1) % LABELS.size() ? 50 - correct : 0));
            }
            matrix.add(row);
        }
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("accuracy", 0.7 + shift);
        metrics.put("macroPrecision", 0.69 + shift);
        metrics.put("macroRecall", 0.7 + shift);
        metrics.put("macroF1", 0.695 + shift);
        metrics.put("imagesEvaluated", 200);
        metrics.put("perClass", perClass);
        metrics.put("confusionMatrix", matrix);
        return metrics;
    }

    private void register(int version, String stage, String parent, Map<String, Object> metrics) {
        register(version, stage, parent, metrics, stage);
    }

    private void register(int version, String stage, String parent, Map<String, Object> metrics, String folder) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("runId", RUN);
        body.put("stage", stage);
        body.put("checkpoint", "s3://checkpoints/" + MODEL + "/" + RUN + "/" + folder + "/");
        body.put("parentCheckpoint", parent);
        body.put("datasetId", "shop");
        body.put("datasetVersion", 2);
        body.put("baseBackbone", "s3://checkpoints/_backbones/resnet18.pt");
        body.put("labels", LABELS);
        body.put("metrics", metrics);
        as("test-evaluator-token").body(body).post("/models/{model}/versions", MODEL).then().statusCode(201)
                .extract().jsonPath().getLong("version");
        assertThat(version).isPositive();
    }

    private long decide(long candidate, Long production, boolean promoted, List<String> reasons,
                        Map<String, Object> candidateMetrics, Map<String, Object> productionMetrics) {
        return decide(candidate, production, promoted, reasons, candidateMetrics, productionMetrics, null);
    }

    private long decide(long candidate, Long production, boolean promoted, List<String> reasons,
                        Map<String, Object> candidateMetrics, Map<String, Object> productionMetrics,
                        Map<String, Object> statistics) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("runId", RUN);
        body.put("candidateVersion", candidate);
        body.put("productionVersion", production);
        body.put("promoted", promoted);
        body.put("reasons", reasons);
        body.put("candidateMetrics", candidateMetrics);
        body.put("productionMetrics", productionMetrics);
        body.put("statistics", statistics);
        return as("test-evaluator-token").body(body).post("/models/{model}/promotions", MODEL).then()
                .statusCode(201).extract().jsonPath().getLong("id");
    }

    /** A paired comparison as the evaluator stores it; gained and lost give the difference over the images. */
    private static Map<String, Object> comparison(String label, int images, double production, double candidate,
                                                  int gained, int lost, Double lower, Double upper, Double pValue,
                                                  String verdict) {
        Map<String, Object> comparison = new LinkedHashMap<>();
        comparison.put("label", label);
        comparison.put("images", images);
        comparison.put("productionAccuracy", production);
        comparison.put("candidateAccuracy", candidate);
        comparison.put("gained", gained);
        comparison.put("lost", lost);
        comparison.put("difference", (double) (gained - lost) / images);
        comparison.put("lower", lower);
        comparison.put("upper", upper);
        comparison.put("pValue", pValue);
        comparison.put("verdict", verdict);
        return comparison;
    }

    /** A stored comparison's cells as the decision page should print them, from the API's JSON. */
    private static List<String> comparison(JsonPath decision, String path) {
        String verdict = decision.getString(path + ".verdict").replace('_', ' ');
        String interval = decision.get(path + ".lower") == null ? "–" : "[" + signed(decision, path + ".lower")
                + ", " + signed(decision, path + ".upper") + "]";
        return List.of(verdict, decision.getString(path + ".images"), decision.getString(path + ".gained"),
                decision.getString(path + ".lost"), decimals(decision, path + ".productionAccuracy"),
                decimals(decision, path + ".candidateAccuracy"), signed(decision, path + ".difference"), interval,
                decimals(decision, path + ".pValue"));
    }

    private static String decimals(JsonPath json, String path) {
        return number(json, path, "%.3f");
    }

    private static String signed(JsonPath json, String path) {
        return number(json, path, "%+.3f");
    }

    private static String number(JsonPath json, String path, String format) {
        return json.get(path) == null ? "–" : String.format(Locale.ROOT, format, json.getDouble(path));
    }

    private void epoch(Stage stage, int epoch, double valAccuracy) {
        PipelineEvent event = new EpochCompleted(UUID.randomUUID(), PipelineEvent.SCHEMA_VERSION, Instant.now(), RUN,
                MODEL, stage, epoch, 2, 1.2 - valAccuracy, valAccuracy + 0.03, valAccuracy, 40 + epoch, 1500,
                true);
        TopicEvents.publish(kafka.bootstrapServers(), event);
    }

    private static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
    }

    private void open(String page) {
        browser.get(root + page);
    }

    /** With -Dconsole.screenshots=DIR, keeps a PNG of each page, to look at the pages this test renders. */
    private static void screenshot(String page) {
        String folder = System.getProperty("console.screenshots");
        if (folder == null) {
            return;
        }
        try {
            byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
            Path file = Path.of(folder, (page.isEmpty() ? "models" : page.replaceAll("[^a-z0-9]+", "-")) + ".png");
            Files.createDirectories(file.getParent());
            Files.write(file, png);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void rollback(String reason) {
        WebElement field = browser.findElement(By.id("rollback-reason"));
        field.clear();
        field.sendKeys(reason);
        browser.findElement(By.id("rollback")).click();
    }

    private String result() {
        return browser.findElement(By.id("action-result")).getText();
    }

    private long production() {
        return given().get("/models/{model}/aliases/production", MODEL).then().statusCode(200).extract().jsonPath()
                .getLong("version");
    }

    private int points() {
        return browser.findElements(By.cssSelector("#curve-accuracy circle")).size();
    }

    private List<String> texts(By selector) {
        return browser.findElements(selector).stream().map(WebElement::getText).toList();
    }

    private static List<String> severeLogs() {
        return HeadlessChromium.severeLogs(browser);
    }
}
