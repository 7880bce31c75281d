package io.stagetune.serving;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.stagetune.common.checkpoint.CheckpointManifest;
import io.stagetune.common.checkpoint.HeadWeights;
import io.stagetune.common.checkpoint.Safetensors;
import io.stagetune.common.events.EventJson;
import io.stagetune.common.events.Stage;
import io.stagetune.common.image.Images;
import io.stagetune.common.image.Preprocessing;
import io.stagetune.common.image.Preprocessor;
import io.stagetune.common.storage.ObjectStore;
import io.stagetune.inference.CheckpointModel;
import io.stagetune.localstack.infrastructure.EmbeddedS3;
import io.stagetune.testsupport.InjectS3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * Run by scripts/benchmark-serving.sh, not by the build: images/s and latency through HTTP at concurrency 1, 8 and
 * 32 (single-image requests, dynamic batching gathers them), beside a direct in-process DJL forward of the same
 * checkpoint at batch sizes 1, 8 and 32. Writes the checkpoint and the preprocessed images for the PyTorch side
 * (scripts/benchmark_inference.py). Prints one line per figure:
 * {@code http <concurrency> <images/s> <p50 ms> <p99 ms> <mean batch>} and {@code direct <batch> <images/s>}.
 */
@QuarkusTest
@WithTestResource(ServingTestResource.class)
@TestProfile(ServingBenchmark.Profile.class)
@EnabledIfSystemProperty(named = "stagetune.benchmark.backbone", matches = ".+")
class ServingBenchmark {

    private static final int[] LEVELS = {1, 8, 32};
    private static final int WARM_UP_REQUESTS = Integer.getInteger("stagetune.benchmark.warmup-requests", 100);

    /** What the service runs with by default, except the test profile's smaller limits. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("serving.batch.max-size", "32", "serving.images.keep", "false",
                    "serving.limits.max-pixels", "50000000");
        }
    }

    @InjectS3
    EmbeddedS3 s3;

    @Test
    void measure() throws Exception {
        Path backbone = Path.of(System.getProperty("stagetune.benchmark.backbone"));
        Path out = Files.createDirectories(Path.of(System.getProperty("stagetune.benchmark.out", "target/benchmark")));
        int crop = Integer.getInteger("stagetune.benchmark.crop", 224);
        // ImageNet's resize-then-centre-crop at 224; at a small input size (a small model's, as the demo's 36) the
        // image is scaled to the crop itself, as that model's recipe does.
        Preprocessing preprocessing = Preprocessing.imagenet(crop >= 224 ? crop * 8 / 7 : crop, crop);
        List<Path> files = ServingFixtures.testImages();
        List<byte[]> images = new ArrayList<>();
        for (Path file : files) {
            images.add(Files.readAllBytes(file));
        }
        Preprocessor preprocessor = new Preprocessor(preprocessing);
        int floats = preprocessor.outputLength();
        float[] inputs = new float[images.size() * floats];
        for (int i = 0; i < images.size(); i++) {
            preprocessor.evalTransform(Images.decode(images.get(i)), inputs, i * floats);
        }
        Path checkpoint = writeCheckpoint(out.resolve("checkpoint"), backbone, preprocessing, inputs);
        Safetensors.write(out.resolve("images.safetensors"), Map.of("images", new Safetensors.Tensor(
                new long[] {images.size(), 3, preprocessing.crop(), preprocessing.crop()}, inputs)), Map.of());

        long version = ServingFixtures.register(ServingFixtures.upload(new ObjectStore(s3.settings()), checkpoint, 99));
        ServingFixtures.promote(version);
        await().atMost(Duration.ofMinutes(5)).until(() -> RestAssured.get("/models").jsonPath()
                .getObject("[0].version", Long.class) != null);

        String url = RestAssured.baseURI + ":" + RestAssured.port + "/models/" + ServingFixtures.MODEL + "/predict";
        for (int concurrency : LEVELS) {
            http(url, images, concurrency, Math.max(WARM_UP_REQUESTS, 2 * concurrency));
            double[] batches = batchSizes();
            int requests = Math.max(96, 8 * concurrency);
            long began = System.nanoTime();
            double[] latencies = http(url, images, concurrency, requests);
            double seconds = (System.nanoTime() - began) / 1e9;
            double[] after = batchSizes();
            Arrays.sort(latencies);
            System.out.printf("http %d %.1f %.1f %.1f %.1f%n", concurrency, requests / seconds,
                    latencies[latencies.length / 2], latencies[(int) Math.ceil(latencies.length * 0.99) - 1],
                    (after[0] - batches[0]) / (after[1] - batches[1]));
        }
        try (CheckpointModel model = CheckpointModel.load(checkpoint);
             Predictor<float[], float[][]> predictor = model.newPredictor()) {
            for (int batch : LEVELS) {
                for (int warmUp = 0; warmUp < 3; warmUp++) {
                    predictor.predict(Arrays.copyOf(inputs, batch * floats));
                }
                long began = System.nanoTime();
                for (int from = 0; from + batch <= images.size(); from += batch) {
                    predictor.predict(Arrays.copyOfRange(inputs, from * floats, (from + batch) * floats));
                }
                int done = images.size() / batch * batch;
                System.out.printf("direct %d %.1f%n", batch, done / ((System.nanoTime() - began) / 1e9));
            }
        }
    }

    /** Sends {@code requests} single-image requests from {@code concurrency} clients; returns latencies in ms. */
    private static double[] http(String url, List<byte[]> images, int concurrency, int requests) throws Exception {
        HttpClient client = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(concurrency)).build();
        AtomicInteger next = new AtomicInteger();
        double[] latencies = new double[requests];
        ExecutorService clients = Executors.newFixedThreadPool(concurrency);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < concurrency; c++) {
            running.add(clients.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < requests; ) {
                    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "image/png")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(images.get(i % images.size()))).build();
                    long began = System.nanoTime();
                    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                    latencies[i] = (System.nanoTime() - began) / 1e6;
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException(response.statusCode() + " " + response.body());
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : running) {
            future.get();
        }
        clients.shutdown();
        return latencies;
    }

    /** The batch-size histogram's sum and count so far. */
    private static double[] batchSizes() {
        String metrics = RestAssured.get("/q/metrics").asString();
        return new double[] {sample(metrics, "serving_batch_size_sum"), sample(metrics, "serving_batch_size_count")};
    }

    private static double sample(String metrics, String name) {
        Matcher matcher = Pattern.compile("(?m)^" + name + "\\{[^}]*} (\\S+)$").matcher(metrics);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    private static Path writeCheckpoint(Path folder, Path backbone, Preprocessing preprocessing, float[] inputs)
            throws Exception {
        Files.createDirectories(folder);
        Files.copy(backbone, folder.resolve(CheckpointManifest.BACKBONE_FILE),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        int features;
        try (Model model = Model.newInstance("features", "PyTorch")) {
            model.load(folder, "backbone");
            try (Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator());
                 NDManager manager = NDManager.newBaseManager()) {
                features = (int) predictor.predict(new NDList(manager.create(FloatBuffer.wrap(inputs, 0,
                        preprocessing.outputLength()), new Shape(1, 3, preprocessing.crop(), preprocessing.crop()))))
                        .singletonOrThrow().getShape().get(1);
            }
        }
        List<String> labels = ServingFixtures.labels();
        Random random = new Random(42);
        float[] weight = new float[labels.size() * features];
        for (int i = 0; i < weight.length; i++) {
            weight[i] = (float) (random.nextGaussian() / Math.sqrt(features));
        }
        new HeadWeights(labels, features, weight, new float[labels.size()])
                .write(folder.resolve(CheckpointManifest.HEAD_FILE));
        Files.write(folder.resolve(CheckpointManifest.FILE), EventJson.writeBytes(new CheckpointManifest(
                CheckpointManifest.FORMAT_VERSION, ServingFixtures.MODEL, "run-99", Stage.HEAD, 0,
                List.of(Stage.HEAD), "fashion-mnist-sample", 1, labels, 0, 0, 0, preprocessing, null,
                backbone.toString(), Map.of(), Instant.now())));
        return folder;
    }
}
