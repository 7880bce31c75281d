package io.stagetune.serving;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.stagetune.common.Topics;
import io.stagetune.common.checkpoint.CheckpointManifest;
import io.stagetune.common.checkpoint.HeadWeights;
import io.stagetune.common.events.PipelineEvent;
import io.stagetune.common.events.PredictionMade;
import io.stagetune.common.image.Images;
import io.stagetune.common.image.Preprocessor;
import io.stagetune.common.storage.ObjectStore;
import io.stagetune.inference.CheckpointModel;
import io.stagetune.localstack.infrastructure.EmbeddedKafka;
import io.stagetune.localstack.infrastructure.EmbeddedS3;
import io.stagetune.testsupport.InjectKafka;
import io.stagetune.testsupport.InjectS3;
import io.stagetune.testsupport.TopicEvents;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static io.stagetune.serving.ServingFixtures.MODEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

/**
 * The serving-service with its real neighbours: the registry (a process) moves the alias and publishes the move
 * on the embedded broker, checkpoints are in the S3 store, DJL runs the committed tiny backbone on the CPU.
 */
@QuarkusTest
@WithTestResource(ServingTestResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServingTest {

    private static final String PREDICT = "/models/" + MODEL + "/predict";
    /** After a move is acknowledged by the registry, the new version answers within this. */
    private static final Duration SWAP_BOUND = Duration.ofSeconds(10);
    /**
     * Native memory (RSS less the JVM's committed heap and non-heap) may grow at most this much over the last ten
     * swaps, once libtorch's caches have filled during the first ten: a version that is not freed costs more.
     */
    private static final long NATIVE_GROWTH_BOUND = 64L << 20;

    @InjectKafka
    EmbeddedKafka kafka;

    @InjectS3
    EmbeddedS3 s3;

    @TempDir
    static Path scratch;

    private static long first;
    private static long second;

    @Test
    @Order(1)
    void servesTheAliasVersionExactlyAsTheEvaluatorAndADirectForward() throws Exception {
        // No version behind the alias yet: not ready, so that no replica takes traffic it can only refuse.
        given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'models loaded' }.data." + MODEL, is("no version loaded"));
        Path folder = ServingFixtures.writeCheckpoint(scratch.resolve("v1"), 1, backbone());
        first = ServingFixtures.register(ServingFixtures.upload(store(), folder, 1));
        ServingFixtures.promote(first);
        awaitServed(first);
        given().get("/q/health/ready").then().statusCode(200);
        assertThat(given().get("/models").jsonPath().getInt("[0].maxBatchSize"))
                .as("a size timed at warm-up, at most the configured 8").isIn(1, 2, 4, 8);

        List<Path> images = ServingFixtures.testImages().subList(0, 24);
        RequestSpecification request = given().queryParam("k", 3);
        for (Path image : images) {
            request.multiPart("images", image.getFileName().toString(), Files.readAllBytes(image), "image/png");
        }
        JsonPath answer = request.post(PREDICT).then().statusCode(200).extract().jsonPath();
        assertThat(answer.getString("model")).isEqualTo(MODEL);
        assertThat(answer.getLong("version")).isEqualTo(first);
        assertThat(answer.getString("alias")).isEqualTo("production");
        assertThat(answer.getList("images")).hasSize(images.size());

        List<BufferedImage> decoded = new ArrayList<>();
        for (Path image : images) {
            decoded.add(Images.decode(Files.readAllBytes(image)));
        }
        int[] evaluators;
        List<String> labels;
        try (CheckpointModel evaluatorModel = CheckpointModel.load(folder)) {
            evaluators = evaluatorModel.predict(decoded);
            labels = evaluatorModel.labels();
        }
        float[][] direct = directForward(folder, decoded);
        for (int i = 0; i < images.size(); i++) {
            String path = "images[" + i + "]";
            int top = CheckpointModel.argMax(direct[i]);
            assertThat(answer.getString(path + ".top[0].label")).as("image %d", i)
                    .isEqualTo(labels.get(evaluators[i])).isEqualTo(labels.get(top));
            assertThat(answer.getDouble(path + ".top[0].probability")).isCloseTo(softmax(direct[i])[top],
                    org.assertj.core.data.Offset.offset(1e-4));
            assertThat(answer.getList(path + ".top")).hasSize(3);
            assertThat(answer.getString(path + ".sha256")).isEqualTo(sha256(Files.readAllBytes(images.get(i))));
        }

        String id = answer.getString("predictionId");
        PredictionMade logged = predictions(1).stream().filter(event -> event.predictionId().toString().equals(id))
                .findFirst().orElseThrow();
        assertThat(logged.version()).isEqualTo(first);
        assertThat(logged.images()).hasSize(images.size());
        assertThat(logged.images().get(0).top().get(0).label()).isEqualTo(answer.getString("images[0].top[0].label"));
        assertThat(logged.images().get(0).imageKept()).isTrue();
        assertThat(store().exists("predictions", MODEL + "/" + logged.images().get(0).sha256())).isTrue();

        // The raw body is the same image.
        JsonPath raw = given().contentType("image/png").body(Files.readAllBytes(images.get(0))).post(PREDICT)
                .then().statusCode(200).extract().jsonPath();
        assertThat(raw.getList("images[0].top")).hasSize(5);
        assertThat(raw.getString("images[0].top[0].label")).isEqualTo(answer.getString("images[0].top[0].label"));
    }

    @Test
    @Order(2)
    void badInputGetsItsReasonAndNothingIsLogged() throws Exception {
        int before = allPredictions().size();
        byte[] png = Files.readAllBytes(ServingFixtures.testImages().get(0));

        refused(given().multiPart("image", "notes.txt", "hello".getBytes(), "image/png"), 422, "not-image", "notes.txt");
        refused(given().multiPart("image", "cut.png", Arrays.copyOf(png, 60), "image/png"), 422, "corrupt", "cut.png");
        refused(given().multiPart("image", "empty.png", new byte[0], "image/png"), 400, "empty", "empty.png");
        refused(given().multiPart("image", "huge.png", png(1200, 1000), "image/png"), 422, "too-many-pixels",
                "huge.png");
        refused(given().multiPart("images", "good.png", png, "image/png")
                .multiPart("images", "bad.png", "nope".getBytes(), "image/png"), 422, "not-image", "bad.png");
        refused(given().multiPart("file", "x.png", png, "image/png"), 400, "no-image", "'image'");
        refused(given().queryParam("k", 0).multiPart("image", "x.png", png, "image/png"), 400, "bad-k", "k must");
        given().multiPart("image", "x.png", png, "image/png").post("/models/nope/predict").then().statusCode(404);
        given().contentType("text/plain").body("hello").post(PREDICT).then().statusCode(415);

        given().multiPart("image", "x.png", png, "image/png").post(PREDICT).then().statusCode(200);
        assertThat(predictions(before + 1)).as("only the good request is logged").hasSize(before + 1);
        assertThat(metrics()).contains("serving_requests_seconds_count{model=\"" + MODEL
                + "\",outcome=\"not-image\",version=\"none\"} 2.0");
    }

    @Test
    @Order(3)
    void twentyAliasMovesUnderLoadFailNoRequestAndEachAnswerNamesItsVersion() throws Exception {
        second = ServingFixtures.register(ServingFixtures.upload(store(),
                ServingFixtures.writeCheckpoint(scratch.resolve("v2"), 2, backbone()), 2));
        byte[] image = Files.readAllBytes(ServingFixtures.testImages().get(0));
        record Answer(long started, long finished, int status, long version) {
        }
        ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        for (int client = 0; client < 8; client++) {
            clients.submit(() -> {
                while (!stop.get()) {
                    long started = System.nanoTime();
                    Response response = given().contentType("image/png").body(image).post(PREDICT);
                    answers.add(new Answer(started, System.nanoTime(), response.statusCode(),
                            response.statusCode() == 200 ? response.jsonPath().getLong("version") : -1));
                }
            });
        }
        long[] acknowledged = new long[20];
        long[] targets = new long[20];
        long[] nativeAfter = new long[20];
        for (int move = 0; move < 20; move++) {
            targets[move] = move % 2 == 0 ? second : first;
            ServingFixtures.promote(targets[move]);
            acknowledged[move] = System.nanoTime();
            awaitServed(targets[move]);
            awaitOpenVersions(1);
            nativeAfter[move] = nativeMemory();
        }
        long end = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).until(() -> answers.stream().filter(a -> a.started() > end).count() >= 8);
        stop.set(true);
        clients.shutdown();
        assertThat(clients.awaitTermination(1, TimeUnit.MINUTES)).isTrue();

        assertThat(answers).as("no failed request").allSatisfy(answer -> assertThat(answer.status()).isEqualTo(200));
        assertThat(answers).extracting(Answer::version).containsOnly(first, second);
        long slowest = 0;
        for (int move = 0; move < 20; move++) {
            long ack = acknowledged[move];
            long target = targets[move];
            long next = move < 19 ? acknowledged[move + 1] : Long.MAX_VALUE;
            long swapped = answers.stream().filter(a -> a.started() >= ack && a.version() == target)
                    .mapToLong(Answer::finished).min().orElseThrow();
            assertThat(Duration.ofNanos(swapped - ack)).as("move %d to version %d", move, target)
                    .isLessThan(SWAP_BOUND);
            slowest = Math.max(slowest, swapped - ack);
            assertThat(answers.stream().filter(a -> a.started() > swapped && a.finished() < next))
                    .as("after move %d, every request that starts after the first new answer", move)
                    .allSatisfy(answer -> assertThat(answer.version()).isEqualTo(target));
        }
        // Medians of five readings ten swaps apart: one reading swings by 100 MB and more when the JVM resizes its
        // heap, a leak of what a swap loads shows in every reading after it.
        long growth = median(Arrays.copyOfRange(nativeAfter, 15, 20)) - median(Arrays.copyOfRange(nativeAfter, 5, 10));
        System.out.printf("%d answers during 20 moves; slowest move to first new answer %d ms; native memory after "
                + "each move (MB) %s%n", answers.size(), slowest / 1_000_000,
                Arrays.stream(nativeAfter).map(bytes -> bytes >> 20).boxed().toList());
        assertThat(growth).as("native memory growth over 10 swaps (medians of 5 readings), bytes").isLessThan(NATIVE_GROWTH_BOUND);
        assertThat(metrics()).contains("serving_reloads_seconds_count{model=\"" + MODEL + "\",outcome=\"loaded\"} 21.0");
    }

    @Test
    @Order(4)
    void aCorruptVersionLeavesTheOldOneServingAndIsCounted() throws Exception {
        long serving = served();
        Path folder = ServingFixtures.writeCheckpoint(scratch.resolve("corrupt"), 3, "not TorchScript".getBytes());
        long corrupt = ServingFixtures.register(ServingFixtures.upload(store(), folder, 3));
        ServingFixtures.promote(corrupt);

        await().atMost(Duration.ofSeconds(30)).until(() -> failedReloads() >= 2);
        byte[] image = Files.readAllBytes(ServingFixtures.testImages().get(0));
        assertThat(given().contentType("image/png").body(image).post(PREDICT).then().statusCode(200).extract()
                .jsonPath().getLong("version")).isEqualTo(serving);
        assertThat(served()).isEqualTo(serving);
        given().get("/q/health/ready").then().statusCode(200);

        ServingFixtures.promote(serving);
    }

    @Test
    @Order(5)
    void aMoveWhileTheBrokerIsDownIsServedOnceItReturns() {
        long target = served() == first ? second : first;
        kafka.stopBroker();
        try {
            ServingFixtures.promote(target);
        } finally {
            kafka.restartBroker();
        }
        awaitServed(target);
    }

    @Test
    @Order(6)
    void aShadowVersionNeverAnswersAndItsAgreementIsCounted() throws Exception {
        long production = served();
        Path productionFolder = scratch.resolve(production == first ? "v1" : "v2");
        assertThat(shadowServed()).as("no alias 'shadow' in the registry yet: no shadow, and no error").isNull();
        Path shadowFolder = ServingFixtures.writeCheckpoint(scratch.resolve("shadow"), 4, backbone());
        long shadow = ServingFixtures.register(ServingFixtures.upload(store(), shadowFolder, 4));
        ServingFixtures.moveAlias("shadow", shadow);
        awaitShadow(shadow);
        assertThat(served()).isEqualTo(production);
        given().get("/q/health/ready").then().statusCode(200);

        List<Path> images = ServingFixtures.testImages().subList(0, 24);
        List<String> productionLabels = labelsOf(productionFolder, images);
        List<String> shadowLabels = labelsOf(shadowFolder, images);
        int agree = 0;
        for (int i = 0; i < images.size(); i++) {
            agree += productionLabels.get(i).equals(shadowLabels.get(i)) ? 1 : 0;
        }
        assertThat(agree).as("the two versions disagree somewhere, or the test shows nothing")
                .isBetween(1, images.size() - 1);

        Response response = predictImages(images);
        JsonPath answer = response.jsonPath();
        assertThat(answer.getLong("version")).isEqualTo(production);
        assertThat(answer.getString("alias")).isEqualTo("production");
        assertThat(answer.getList("images.collect { it.top[0].label }", String.class)).isEqualTo(productionLabels);
        assertThat(response.asString()).doesNotContain("shadow").doesNotContain("\"version\":" + shadow + ",");

        PredictionMade logged = prediction(answer.getString("predictionId"));
        assertThat(logged.version()).isEqualTo(production);
        assertThat(logged.datasetId()).as("from the checkpoint, the registry has no lineage here").isEqualTo("shop");
        assertThat(logged.images()).extracting(image -> image.top().get(0).label()).isEqualTo(productionLabels);
        assertThat(logged.shadow().version()).isEqualTo(shadow);
        assertThat(logged.shadow().alias()).isEqualTo("shadow");
        assertThat(logged.shadow().top1()).extracting(PredictionMade.LabelProbability::label).isEqualTo(shadowLabels);
        assertThat(agreement(production, shadow, true)).isEqualTo(agree);
        assertThat(agreement(production, shadow, false)).isEqualTo(images.size() - agree);

        // More images than may wait for the shadow (max-pending-images 32 in tests): answered and published
        // without the shadow's part, and counted.
        List<Path> many = ServingFixtures.testImages().subList(0, 40);
        answer = predictImages(many).jsonPath();
        assertThat(answer.getLong("version")).isEqualTo(production);
        assertThat(prediction(answer.getString("predictionId")).shadow()).isNull();
        assertThat(metrics()).contains("serving_shadow_skipped_total{model=\"" + MODEL + "\",reason=\"busy\"} 40.0");
        assertThat(agreement(production, shadow, true) + agreement(production, shadow, false))
                .isEqualTo(images.size());

        // Moving the shadow alias swaps the shadow; onto the served version, it is shared, not loaded again.
        ServingFixtures.moveAlias("shadow", production);
        awaitShadow(production);
        awaitOpenVersions(1);
        answer = predictImages(images).jsonPath();
        logged = prediction(answer.getString("predictionId"));
        assertThat(logged.shadow().version()).isEqualTo(production);
        assertThat(logged.shadow().top1()).extracting(PredictionMade.LabelProbability::label)
                .isEqualTo(productionLabels);
        assertThat(agreement(production, production, true)).isEqualTo(images.size());
        assertThat(agreement(production, production, false)).isZero();
    }

    private Response predictImages(List<Path> images) throws Exception {
        RequestSpecification request = given().queryParam("k", 3);
        for (Path image : images) {
            request.multiPart("images", image.getFileName().toString(), Files.readAllBytes(image), "image/png");
        }
        return request.post(PREDICT).then().statusCode(200).extract().response();
    }

    /** The event of this prediction, once it is on the topic. */
    private PredictionMade prediction(String predictionId) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> allPredictions().stream()
                .map(PredictionMade.class::cast).filter(event -> event.predictionId().toString().equals(predictionId))
                .findFirst(), Optional::isPresent).orElseThrow();
    }

    private static List<String> labelsOf(Path checkpoint, List<Path> images) throws Exception {
        List<BufferedImage> decoded = new ArrayList<>();
        for (Path image : images) {
            decoded.add(Images.decode(Files.readAllBytes(image)));
        }
        try (CheckpointModel model = CheckpointModel.load(checkpoint)) {
            return Arrays.stream(model.predict(decoded)).mapToObj(model.labels()::get).toList();
        }
    }

    private static Long shadowServed() {
        return RestAssured.get("/models").then().statusCode(200).extract().jsonPath()
                .getObject("[0].shadowVersion", Long.class);
    }

    private static void awaitShadow(long version) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> Long.valueOf(version).equals(shadowServed()));
    }

    /** Images counted by serving_shadow_agreement_total for this pair of versions and agreement. */
    private static long agreement(long version, long shadowVersion, boolean agree) {
        Matcher matcher = Pattern.compile("(?m)^serving_shadow_agreement_total\\{agree=\"" + agree + "\",model=\""
                + MODEL + "\",shadow_version=\"" + shadowVersion + "\",version=\"" + version + "\"} (\\S+)$")
                .matcher(metrics());
        return matcher.find() ? (long) Double.parseDouble(matcher.group(1)) : 0;
    }

    private void refused(RequestSpecification request, int status, String code, String named) {
        JsonPath error = request.post(PREDICT).then().statusCode(status).extract().jsonPath();
        assertThat(error.getString("code")).isEqualTo(code);
        assertThat(error.getString("error")).contains(named);
    }

    private static long served() {
        Long version = RestAssured.get("/models").then().statusCode(200).extract().jsonPath()
                .getObject("[0].version", Long.class);
        return version == null ? -1 : version;
    }

    private static void awaitServed(long version) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> served() == version);
    }

    private static void awaitOpenVersions(int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> metricValue("serving_versions_open") == count);
    }

    private static double failedReloads() {
        Matcher matcher = Pattern.compile("(?m)^serving_reloads_seconds_count\\{model=\"" + MODEL
                + "\",outcome=\"failed\"} (\\S+)$").matcher(metrics());
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    private static double metricValue(String name) {
        Matcher matcher = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(metrics());
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : Double.NaN;
    }

    private static String metrics() {
        return RestAssured.get("/q/metrics").asString();
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** This JVM's resident memory less the heap and non-heap it has committed: what libtorch holds, mostly. */
    private static long nativeMemory() throws Exception {
        long rssKb = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("VmRSS:")).map(line -> line.replaceAll("\\D", ""))
                .mapToLong(Long::parseLong).findFirst().orElseThrow();
        var memory = ManagementFactory.getMemoryMXBean();
        return rssKb * 1024 - memory.getHeapMemoryUsage().getCommitted()
                - memory.getNonHeapMemoryUsage().getCommitted();
    }

    private List<PredictionMade> predictions(int expected) {
        return TopicEvents.read(kafka.bootstrapServers(), Topics.PREDICTIONS, MODEL, expected, Duration.ofSeconds(30))
                .stream().map(PredictionMade.class::cast).toList();
    }

    private List<PipelineEvent> allPredictions() {
        return TopicEvents.read(kafka.bootstrapServers(), Topics.PREDICTIONS, MODEL, 0, Duration.ZERO);
    }

    private ObjectStore store() {
        return new ObjectStore(s3.settings());
    }

    private static byte[] backbone() throws Exception {
        return Files.readAllBytes(ServingFixtures.TINY_BACKBONE);
    }

    /** DJL's standard inference path (Model.load, a Predictor with a no-op translator), the head in plain Java. */
    private static float[][] directForward(Path checkpoint, List<BufferedImage> images) throws Exception {
        Preprocessor preprocessor = new Preprocessor(ServingFixtures.PREPROCESSING);
        int floats = preprocessor.outputLength();
        float[] inputs = new float[images.size() * floats];
        for (int i = 0; i < images.size(); i++) {
            preprocessor.evalTransform(images.get(i), inputs, i * floats);
        }
        HeadWeights head = HeadWeights.read(checkpoint.resolve(CheckpointManifest.HEAD_FILE));
        int side = ServingFixtures.PREPROCESSING.crop();
        float[] features;
        try (Model model = Model.newInstance("direct", "PyTorch")) {
            model.load(checkpoint, "backbone");
            try (Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator());
                 NDManager manager = NDManager.newBaseManager()) {
                features = predictor.predict(new NDList(manager.create(FloatBuffer.wrap(inputs),
                        new Shape(images.size(), 3, side, side)))).singletonOrThrow().toFloatArray();
            }
        }
        float[][] logits = new float[images.size()][head.classes()];
        for (int i = 0; i < images.size(); i++) {
            for (int c = 0; c < head.classes(); c++) {
                double sum = head.bias()[c];
                for (int f = 0; f < head.features(); f++) {
                    sum += (double) head.weight()[c * head.features() + f] * features[i * head.features() + f];
                }
                logits[i][c] = (float) sum;
            }
        }
        return logits;
    }

    private static double[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float value : logits) {
            max = Math.max(max, value);
        }
        double[] probabilities = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            probabilities[i] = Math.exp(logits[i] - max);
            sum += probabilities[i];
        }
        for (int i = 0; i < logits.length; i++) {
            probabilities[i] /= sum;
        }
        return probabilities;
    }


    private static byte[] png(int width, int height) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), "png", out);
        return out.toByteArray();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
