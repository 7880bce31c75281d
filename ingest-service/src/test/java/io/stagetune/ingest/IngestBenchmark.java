package io.stagetune.ingest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.common.http.TestHTTPResource;
import io.stagetune.common.data.FashionMnist;
import io.stagetune.localstack.infrastructure.EmbeddedS3;
import io.stagetune.testsupport.InjectS3;
import io.stagetune.testsupport.KafkaTestResource;
import io.stagetune.testsupport.S3TestResource;
import io.stagetune.common.storage.ObjectStore;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;


/**
 * Ingest throughput through the REST API beside the raw put rate of the same files into the same S3Proxy, in the
 * same run. Not part of the test suite (no "Test" suffix); run it with {@code scripts/benchmark-ingest.sh}.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class IngestBenchmark {

    private static final int IMAGES = Integer.getInteger("benchmark.images", 10_000);
    private static final int BATCH = Integer.getInteger("benchmark.batch", 500);

    @InjectS3
    EmbeddedS3 s3;

    @ConfigProperty(name = "ingest.store-parallelism")
    int parallelism;

    @TestHTTPResource("/")
    URI root;

    private String baseUri;

    @Test
    void ingestThroughputBesideRawPuts() throws Exception {
        baseUri = root.toString().replaceAll("/$", "");
        List<Labelled> images = images(IMAGES);
        ObjectStore store = new ObjectStore(s3.settings());
        store.ensureBucket("raw-puts");

        // Warm-up of both paths on other keys and another dataset.
        rawPuts(store, images.subList(0, BATCH), "warmup/");
        ingest("warmup", images.subList(0, BATCH));

        long rawStart = System.nanoTime();
        rawPuts(store, images, "raw/");
        double rawSeconds = (System.nanoTime() - rawStart) / 1e9;

        long ingestStart = System.nanoTime();
        ingest("benchmark", images);
        double ingestSeconds = (System.nanoTime() - ingestStart) / 1e9;

        long bytes = images.stream().mapToLong(image -> image.png.length).sum();
        double rawRate = images.size() / rawSeconds;
        double ingestRate = images.size() / ingestSeconds;
        System.out.printf(Locale.ROOT, "%nIngest benchmark: %d real Fashion-MNIST PNGs (%s), %.1f KB, batches of %d, "
                        + "%d parallel puts%n", images.size(), FashionMnist.isInstalled() ? "full dataset" : "sample variants",
                bytes / 1024.0, BATCH, parallelism);
        System.out.printf(Locale.ROOT, "  raw S3 put:        %8.1f images/s (%.2f s)%n", rawRate, rawSeconds);
        System.out.printf(Locale.ROOT, "  REST ingest:       %8.1f images/s (%.2f s) incl. validation, dedupe, manifests, events%n",
                ingestRate, ingestSeconds);
        System.out.printf(Locale.ROOT, "  ingest / raw put:  %8.2f (target >= 0.70)%n%n", ingestRate / rawRate);
    }

    private void rawPuts(ObjectStore store, List<Labelled> images, String prefix) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(parallelism);
        try {
            List<Future<?>> puts = new ArrayList<>();
            for (Labelled image : images) {
                puts.add(pool.submit(() -> store.put("raw-puts", prefix + image.sha256 + ".png", image.png,
                        "image/png")));
            }
            for (Future<?> put : puts) {
                put.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    /** Posts the batches with the JDK's HTTP client, as a lean client process would (no test-framework overhead). */
    private void ingest(String dataset, List<Labelled> images) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        URI uri = URI.create(baseUri + "/datasets/" + dataset + "/images");
        for (int start = 0; start < images.size(); start += BATCH) {
            String boundary = "batch" + start;
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (Labelled image : images.subList(start, Math.min(images.size(), start + BATCH))) {
                part(body, boundary, "Content-Disposition: form-data; name=\"file\"; filename=\"" + image.sha256
                        + ".png\"\r\nContent-Type: image/png", image.png);
                part(body, boundary, "Content-Disposition: form-data; name=\"label\"",
                        image.label.getBytes(StandardCharsets.UTF_8));
            }
            body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri)
                    .header("Authorization", "Bearer " + IngestTestSupport.TOKEN)
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201) {
                throw new IllegalStateException("upload answered " + response.statusCode() + ": " + response.body());
            }
        }
    }

    private static void part(ByteArrayOutputStream body, String boundary, String headers, byte[] content)
            throws IOException {
        body.write(("--" + boundary + "\r\n" + headers + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(content);
        body.write("\r\n".getBytes(StandardCharsets.UTF_8));
    }

    private record Labelled(String label, byte[] png, String sha256) {
    }

    /** The first n images of the official training file, or flipped/shifted variants of the committed sample. */
    private static List<Labelled> images(int count) throws IOException {
        List<Labelled> images = new ArrayList<>();
        if (FashionMnist.isInstalled()) {
            FashionMnist train = FashionMnist.load(FashionMnist.Subset.TRAIN);
            for (int i = 0; i < count; i++) {
                FashionMnist.Example example = train.example(i);
                images.add(labelled(example.className(), example.toPng()));
            }
            return images;
        }
        List<String> labels = FashionMnist.CLASS_NAMES;
        for (int variant = 0; images.size() < count; variant++) {
            for (String label : labels) {
                for (var file : TestImages.pngs("train", label, 60)) {
                    if (images.size() == count) {
                        return images;
                    }
                    BufferedImage image = javax.imageio.ImageIO.read(file.toFile());
                    images.add(labelled(label, TestImages.encode(shifted(image, variant), "png")));
                }
            }
        }
        return images;
    }

    private static BufferedImage shifted(BufferedImage source, int variant) {
        BufferedImage out = new BufferedImage(source.getWidth(), source.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        int dx = variant % 5 - 2;
        int dy = variant / 5 % 5 - 2;
        boolean flip = variant / 25 % 2 == 1;
        for (int y = 0; y < source.getHeight(); y++) {
            for (int x = 0; x < source.getWidth(); x++) {
                int sx = Math.floorMod((flip ? source.getWidth() - 1 - x : x) + dx, source.getWidth());
                int sy = Math.floorMod(y + dy, source.getHeight());
                out.getRaster().setSample(x, y, 0, source.getRaster().getSample(sx, sy, 0));
            }
        }
        return out;
    }

    private static Labelled labelled(String label, byte[] png) {
        try {
            return new Labelled(label, png,
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(png)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
