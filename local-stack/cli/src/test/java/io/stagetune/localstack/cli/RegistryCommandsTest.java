package io.stagetune.localstack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.stagetune.common.events.EventJson;
import io.stagetune.common.events.PredictionMade;
import io.stagetune.common.image.ContentHash;
import io.stagetune.common.storage.ObjectStore;
import io.stagetune.common.events.Stage;
import io.stagetune.common.registry.Metrics;
import io.stagetune.common.registry.PromotionRequest;
import io.stagetune.common.registry.PromotionView;
import io.stagetune.common.registry.RegisterVersionRequest;
import io.stagetune.common.registry.VersionView;
import io.stagetune.localstack.LocalStack;
import io.stagetune.localstack.cli.client.RegistryClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.stagetune.localstack.TestMachine.freePort;
import static io.stagetune.localstack.TestMachine.repositoryRoot;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code pipeline report}, {@code promote} and {@code rollback} against the packaged model registry, run by the
 * local stack (with its broker, which the registry's outbox publishes to) and filled through its REST API with the
 * evaluator's token, as the evaluator fills it; {@code review}, {@code label} and the report's live figures against
 * the packaged ingest-service beside it, fed a prediction as the serving-service publishes one.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegistryCommandsTest {

    private static final List<String> LABELS = List.of("T-shirt/top", "Trouser", "Ankle boot");
    private static final String BASE = "s3://checkpoints/_backbones/resnet-tiny.pt";

    @TempDir
    static Path data;

    private static LocalStack stack;
    private static String url;
    private static String ingest;

    /** What a command printed and returned. */
    record Result(int exit, String out, String err) {
    }

    @BeforeAll
    static void startTheRegistryAndRecordTwoRuns() throws Exception {
        Path repository = repositoryRoot();
        Map<LocalStack.Service, Integer> ports = new EnumMap<>(LocalStack.Service.class);
        ports.put(LocalStack.Service.REGISTRY, freePort());
        ports.put(LocalStack.Service.INGEST, freePort());
        // The ingest-service holds the review queue: every prediction of 'fashion' is picked for the audit.
        stack = LocalStack.start(new LocalStack.Settings(repository, data, freePort(), freePort(),
                Set.of(LocalStack.Service.REGISTRY, LocalStack.Service.INGEST), ports,
                Map.of(LocalStack.Service.INGEST, Map.of("ingest.review.models.fashion.audit-percent", "100",
                        "ingest.review.models.fashion.dataset", "fashion-review",
                        "ingest.review.models.fashion.batch-size", "100"))), line -> { });
        url = stack.url(LocalStack.Service.REGISTRY);
        ingest = stack.url(LocalStack.Service.INGEST);
        RegistryClient evaluator = new RegistryClient(url, stack.secrets().evaluatorToken());

        VersionView head = register(evaluator, "fashion", "fashion.shop.v1", Stage.HEAD, BASE, 1,
                new long[][]{{15, 2, 3}, {1, 18, 1}, {2, 1, 17}});
        VersionView layer4 = register(evaluator, "fashion", "fashion.shop.v1", Stage.LAYER4, head.checkpoint(), 1,
                new long[][]{{17, 1, 2}, {0, 19, 1}, {1, 0, 19}});
        decide(evaluator, layer4, null, true, "no production version yet: accuracy 0.917 on shop v1");
        VersionView next = register(evaluator, "fashion", "fashion.shop.v2", Stage.HEAD, layer4.checkpoint(), 2,
                new long[][]{{14, 2, 4}, {0, 20, 0}, {0, 0, 20}});
        decide(evaluator, next, layer4, false,
                "accuracy 0.900 vs production 0.917: -0.017 does not beat production (min-improvement 0.010)",
                "class T-shirt/top: 0.850 -> 0.700 (-0.150) > max-class-drop 0.050");
        register(evaluator, "shoes", "shoes.shop.v1", Stage.HEAD, BASE, 1, new long[][]{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}});
        register(evaluator, "bags", "bags.shop.v1", Stage.HEAD, BASE, 1, new long[][]{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}});
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void reportsProductionWithItsMetricsMatrixLineageAndTheRejectedCandidate() throws IOException {
        String ingest = "http://localhost:" + freePort();
        Result result = run("report", "fashion", "--url", url, "--ingest-url", ingest);

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out()).startsWith("fashion version 2 (production)\n").contains(
                "tested on dataset shop version 1, 60 images",
                """
                  label          accuracy  precision     F1  images
                  T-shirt/top       0.850      0.944  0.895      20
                  Trouser           0.950      0.950  0.950      20
                  Ankle boot        0.950      0.864  0.905      20
                  -------------------------------------------------
                  macro average     0.917      0.919  0.916      60
                  overall accuracy 0.917
                """,
                """
                  true \\ predicted   1   2   3
                  1 T-shirt/top     17   1   2
                  2 Trouser          0  19   1
                  3 Ankle boot       1   0  19
                """,
                "  parent version 1 (HEAD of run fashion.shop.v1)\n",
                "  ancestors      v1 HEAD <- " + BASE + " (not registered)\n",
                "  version 3 (run fashion.shop.v2): not promoted ",
                "  accuracy 0.900, macro F1 0.895; production then (version 2): accuracy 0.917, macro F1 0.916\n",
                "  - class T-shirt/top: 0.850 -> 0.700 (-0.150) > max-class-drop 0.050\n");
        assertThat(historyRows(result.out())).singleElement().asString()
                .matches(" {2}\\S+ \\S+ {5}- {3}2 {2}evaluator {2}promoted.*");
        assertThat(result.out()).as("the registry's report stands without the ingest-service's live figures")
                .endsWith("\nLive figures from audit labels of production traffic (ingest-service)\n"
                        + "live  not available: cannot reach the ingest-service at " + ingest
                        + " (connection refused: nothing listens there). Start the local stack with `./pipeline up`,"
                        + " or give the URL of a running ingest-service.\n");
    }

    @Test
    @Order(2)
    void printsTheVersionAsOneJsonDocumentForScripts() throws Exception {
        Result result = run("report", "fashion", "--json", "--url", url);

        assertThat(result.exit()).as(result.err()).isZero();
        JsonNode document = EventJson.mapper().readTree(result.out());
        assertThat(document.path("model").asText()).isEqualTo("fashion");
        assertThat(document.path("version").asLong()).isEqualTo(2);
        assertThat(document.path("alias").asText()).isEqualTo("production");
        assertThat(document.path("stage").asText()).isEqualTo("LAYER4");
        assertThat(document.path("parentVersion").asLong()).isEqualTo(1);
        assertThat(document.path("datasetVersion").asInt()).isEqualTo(1);
        assertThat(document.path("baseBackbone").asText()).isEqualTo(BASE);
        assertThat(document.path("labels")).hasSize(3);
        assertThat(document.path("metrics").path("accuracy").asDouble()).isEqualTo(55.0 / 60);
        assertThat(document.path("metrics").path("perClass").get(0).path("label").asText()).isEqualTo("T-shirt/top");
        assertThat(document.path("metrics").path("perClass").get(0).path("support").asLong()).isEqualTo(20);
        assertThat(document.path("metrics").path("confusionMatrix").get(2).toString()).isEqualTo("[1,0,19]");
        assertThat(result.out().strip().lines()).hasSize(1);

        Result other = run("report", "fashion", "--version", "3", "--json", "--url", url);
        assertThat(EventJson.mapper().readTree(other.out()).path("alias").isNull()).isTrue();
        assertThat(EventJson.mapper().readTree(other.out()).path("version").asLong()).isEqualTo(3);
    }

    @Test
    @Order(3)
    void promotesAndRollsBackWithTheStacksAdminTokenAndKeepsTheHistoryInOrder() {
        Result promoted = run("promote", "fashion", "3", "--reason", "shop v2 matters more", "--url", url,
                "--data-dir", data.toString());
        assertThat(promoted.exit()).as(promoted.err()).isZero();
        assertThat(promoted.out()).isEqualTo(
                "fashion production: version 2 -> version 3 (by admin: shop v2 matters more)\n");

        Result again = run("promote", "fashion", "3", "--reason", "again", "--url", url, "--data-dir", data.toString());
        assertThat(again.out()).isEqualTo("fashion production already points at version 3: nothing changed\n");

        Result rolledBack = run("rollback", "fashion", "--reason", "T-shirt/top regressed", "--url", url,
                "--data-dir", data.toString());
        assertThat(rolledBack.exit()).as(rolledBack.err()).isZero();
        assertThat(rolledBack.out()).isEqualTo(
                "fashion production: version 3 -> version 2 (by admin: rollback: T-shirt/top regressed)\n");

        Result report = run("report", "fashion", "--url", url);
        List<String> history = historyRows(report.out());
        assertThat(history).hasSize(3);
        assertThat(history.get(0)).matches(".* {5}- {3}2 {2}evaluator {2}promoted.*");
        assertThat(history.get(1)).endsWith("     2   3  admin      shop v2 matters more");
        assertThat(history.get(2)).endsWith("     3   2  admin      rollback: T-shirt/top regressed");
    }

    @Test
    @Order(4)
    void aStagingAliasIsReportedAndMovedLikeProduction() {
        Result promoted = run("promote", "fashion", "3", "--alias", "staging", "--reason", "try it",
                "--url", url, "--data-dir", data.toString());
        assertThat(promoted.out()).isEqualTo("fashion staging: (not set) -> version 3 (by admin: try it)\n");

        Result report = run("report", "fashion", "--alias", "staging", "--url", url);
        assertThat(report.out()).startsWith("fashion version 3 (staging)\n").contains("History of staging");
    }

    @Test
    @Order(5)
    void refusalsAreNamedAndExitWithOne() throws IOException {
        Path noStack = Files.createTempDirectory(data, "elsewhere");
        String dataDir = data.toString();
        assertRefused(run("report", "nope", "--url", url),
                "unknown model 'nope' in the registry at " + url + "; it knows bags, fashion, shoes");
        assertRefused(run("report", "shoes", "--url", url), "model 'shoes' has no production version yet (1 version, "
                + "newest 1; `pipeline report shoes --version 1` reports it)");
        assertRefused(run("report", "fashion", "--version", "9", "--url", url), "version 9 of model 'fashion' not found");
        assertRefused(run("promote", "fashion", "9", "--reason", "x", "--url", url, "--data-dir", dataDir),
                "the model registry answered 404 for PUT " + url + "/models/fashion/aliases/production: "
                        + "version 9 of model 'fashion' not found");
        assertRefused(run("rollback", "shoes", "--reason", "x", "--url", url, "--data-dir", dataDir),
                "alias 'production' of model 'shoes' has never been set");
        assertRefused(run("promote", "fashion", "1", "--reason", "x", "--url", url, "--token", "wrong"),
                "refused the token (401)");
        assertRefused(run("promote", "fashion", "1", "--reason", "x", "--url", url, "--token",
                stack.secrets().trainerToken()), "the token may not do this (403)");
        assertRefused(run("promote", "fashion", "1", "--reason", "x", "--url", url, "--data-dir", noStack.toString()),
                "no admin token: " + noStack + " holds no secrets.properties of a local stack");
    }

    @Test
    void rollbackWithNothingBeforeIsRefused() {
        String dataDir = data.toString();
        assertThat(run("promote", "bags", "1", "--reason", "first", "--url", url, "--data-dir", dataDir).exit())
                .isZero();
        assertRefused(run("rollback", "bags", "--reason", "x", "--url", url, "--data-dir", dataDir),
                "the model registry answered 409 for POST " + url + "/models/bags/aliases/production/rollback: "
                        + "alias 'production' of model 'bags' has no previous version to roll back to "
                        + "(version 1 was its first)");
    }

    @Test
    void anUnreachableRegistryIsNamedWithHowToStartIt() throws IOException {
        String nowhere = "http://localhost:" + freePort();
        Result result = run("report", "fashion", "--url", nowhere);
        assertRefused(result, "cannot reach the model registry at " + nowhere);
        assertThat(result.err()).contains("(connection refused: nothing listens there). "
                + "Start the local stack with `./pipeline up`, or point --url at a running registry.");
        assertRefused(run("rollback", "fashion", "--reason", "x", "--url", nowhere, "--token", "t"),
                "cannot reach the model registry at " + nowhere);
        assertRefused(run("report", "fashion", "--url", "localhost:8084"),
                "--url 'localhost:8084' is not a registry URL such as http://localhost:8084");
    }

    @Test
    @Order(6)
    void reviewsTheQueueLabelsItsItemsAndReportsTheLiveFiguresBesideTheTestSplit() throws Exception {
        UUID prediction = UUID.randomUUID();
        predict(prediction, "trouser", "sandal");
        String dataDir = data.toString();

        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(run("review", "fashion", "--url", ingest).out()).startsWith("fashion: 2 open review items"));
        Result queue = run("review", "fashion", "--url", ingest, "--reason", "audit", "--label", "trouser");
        assertThat(queue.exit()).as(queue.err()).isZero();
        assertThat(queue.out().lines().toList()).hasSize(4);
        assertThat(queue.out()).containsPattern(prediction + "\\.1 +audit +2 +trouser +0\\.900 +\\S+ \\S+ +open +-\n");
        assertThat(run("review", "fashion", "--url", ingest, "--reason", "uncertain").out())
                .isEqualTo("fashion: 2 open review items; none matches\n");

        Result labelled = run("label", "fashion", prediction + ".1", "trouser", "--url", ingest, "--data-dir",
                dataDir);
        assertThat(labelled.exit()).as(labelled.err()).isZero();
        assertThat(labelled.out()).isEqualTo("fashion " + prediction + ".1: trouser -> dataset fashion-review, split"
                + " audit (a new image), staged until the review batch seals a version\n");
        assertThat(run("label", "fashion", prediction + ".1", "trouser", "--url", ingest, "--data-dir", dataDir)
                .exit()).as("the same label again").isZero();
        assertRefused(run("label", "fashion", prediction + ".1", "sandal", "--url", ingest, "--data-dir", dataDir),
                "the ingest-service answered 409 for POST " + ingest + "/models/fashion/review/" + prediction + ".1: ");
        assertRefused(run("label", "fashion", "no-such-item", "sandal", "--url", ingest, "--data-dir", dataDir),
                "the ingest-service answered 404 for POST " + ingest + "/models/fashion/review/no-such-item: ");
        assertRefused(run("label", "fashion", prediction + ".2", "a b", "--url", ingest, "--data-dir", dataDir),
                "the ingest-service answered 422 for POST");
        assertRefused(run("label", "fashion", prediction + ".2", "sandal", "--url", ingest, "--token", "wrong"),
                "the ingest-service refused the token (401)");
        assertRefused(run("label", "fashion", prediction + ".2", "sandal", "--url", ingest, "--token",
                stack.secrets().ingestToken()), "the token may not do this (403)");

        Result sealed = run("label", "fashion", prediction + ".2", "sandal", "--seal", "--url", ingest, "--data-dir",
                dataDir);
        assertThat(sealed.exit()).as(sealed.err()).isZero();
        assertThat(sealed.out()).endsWith("fashion: staged labels sealed into dataset fashion-review version 1\n");
        assertThat(run("review", "fashion", "--url", ingest).out()).startsWith("fashion: 0 open review items");
        assertThat(run("review", "fashion", "--all", "--url", ingest).out()).contains("labelled  trouser (",
                "labelled  sandal (");

        Result report = run("report", "fashion", "--url", url, "--ingest-url", ingest);
        assertThat(report.exit()).as(report.err()).isZero();
        assertThat(report.out()).contains("\nlive  version 2: accuracy 0.500 [0.095, 0.905] on the newest 2 audit"
                + " labels (1 right, window 500); test split 0.917\n")
                .containsPattern("\nlive  sandal +1 +0 +0\\.000 +\\[0\\.000, 0\\.793\\] +- +-\n")
                .containsPattern("\nlive  trouser +1 +1 +1\\.000 +\\[0\\.207, 1\\.000\\] +0\\.500 +-\n")
                .containsPattern("\nlive  Trouser +0 +0 +- +- +- +0\\.950\n");
        assertThat(run("report", "shoes", "--version", "1", "--url", url, "--ingest-url", ingest).out())
                .endsWith("live  version 1: no audit labels yet\n");
    }

    /**
     * What the serving-service does for one request of version 2 of 'fashion' (answering trouser for every image):
     * keeps the images in the predictions bucket and publishes the prediction.
     */
    private static void predict(UUID prediction, String... classes) throws Exception {
        ObjectStore store = new ObjectStore(stack.objectStoreSettings());
        store.ensureBucket("predictions");
        List<PredictionMade.ImagePrediction> images = new ArrayList<>();
        for (String label : classes) {
            try (var files = Files.list(repositoryRoot().resolve("fixtures/fashion-mnist-sample/test").resolve(label))) {
                byte[] png = Files.readAllBytes(files.sorted().findFirst().orElseThrow());
                String sha256 = ContentHash.sha256(png);
                store.put("predictions", "fashion/" + sha256, png, "image/png");
                images.add(new PredictionMade.ImagePrediction(sha256, List.of(
                        new PredictionMade.LabelProbability("trouser", 0.9),
                        new PredictionMade.LabelProbability("sandal", 0.1)), true));
            }
        }
        PredictionMade event = new PredictionMade(UUID.randomUUID(), 1, Instant.now(), prediction, "fashion", 2,
                "production", images, 12.5, null, null);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            producer.send(new ProducerRecord<>(event.topic(), event.key(), EventJson.write(event))).get();
        }
    }

    @Test
    void helpDocumentsTheJsonFieldsAndUsageErrorsExitWithTwo() {
        Result help = run("report", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("--json prints one document with these fields",
                "perClass [{label, accuracy, precision, recall, f1, support}]", "Exit codes:");
        assertThat(run("report", "fashion", "--version", "2", "--alias", "staging").exit()).isEqualTo(2);
        assertThat(run("promote", "fashion", "2").err()).contains("Missing required option: '--reason=TEXT'");
        assertThat(run("rollback", "--help").out()).contains("--token", "--data-dir", "--alias");
    }

    private static void assertRefused(Result result, String message) {
        assertThat(result.exit()).as(result.out()).isEqualTo(1);
        assertThat(result.err()).contains(message);
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new PipelineCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    /** The rows of the report's alias history table, oldest first. */
    private static List<String> historyRows(String report) {
        List<String> lines = report.lines().toList();
        int header = lines.indexOf("  time                  from  to  actor      reason");
        assertThat(header).as(report).isPositive();
        List<String> rows = lines.subList(header + 1, lines.size());
        return rows.contains("") ? rows.subList(0, rows.indexOf("")) : rows;
    }

    private static VersionView register(RegistryClient evaluator, String model, String runId, Stage stage,
                                        String parent, int datasetVersion, long[][] confusion) {
        return evaluator.post(RegistryClient.path("models", model, "versions"), new RegisterVersionRequest(runId,
                stage, "s3://checkpoints/" + model + "/" + runId + "/" + stage.name().toLowerCase() + "/", parent,
                null, "shop", datasetVersion, BASE, LABELS, metrics(confusion)), VersionView.class);
    }

    /** Records the evaluator's decision about a candidate, compared with production (null: none yet). */
    private static void decide(RegistryClient evaluator, VersionView candidate, VersionView production,
                               boolean promoted, String... reasons) {
        evaluator.post(RegistryClient.path("models", candidate.model(), "promotions"), new PromotionRequest(
                candidate.runId(), candidate.version(), production == null ? null : production.version(), promoted,
                List.of(reasons), candidate.metrics(), production == null ? null : production.metrics(), null),
                PromotionView.class);
    }

    /** The metrics the evaluator computes from a confusion matrix (rows: true label). */
    private static Metrics metrics(long[][] confusion) {
        List<Metrics.ClassMetrics> perClass = new ArrayList<>();
        List<List<Long>> matrix = new ArrayList<>();
        long correct = 0;
        long total = 0;
        double precisions = 0;
        double recalls = 0;
        double f1s = 0;
        for (int label = 0; label < confusion.length; label++) {
            long support = 0;
            long predicted = 0;
            for (int other = 0; other < confusion.length; other++) {
                support += confusion[label][other];
                predicted += confusion[other][label];
            }
            long hits = confusion[label][label];
            double recall = (double) hits / support;
            double precision = (double) hits / predicted;
            double f1 = 2 * precision * recall / (precision + recall);
            perClass.add(new Metrics.ClassMetrics(LABELS.get(label), recall, precision, recall, f1, support));
            matrix.add(Arrays.stream(confusion[label]).boxed().toList());
            correct += hits;
            total += support;
            precisions += precision;
            recalls += recall;
            f1s += f1;
        }
        int n = confusion.length;
        return new Metrics((double) correct / total, precisions / n, recalls / n, f1s / n, (int) total, perClass,
                matrix);
    }
}
