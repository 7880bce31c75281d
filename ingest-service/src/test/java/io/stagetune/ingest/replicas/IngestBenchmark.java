package io.stagetune.ingest.replicas;

import io.stagetune.common.data.FashionMnist;
import io.stagetune.common.storage.ObjectStore;
import io.stagetune.ingest.TestImages;
import io.stagetune.localstack.infrastructure.EmbeddedDatabase;
import io.stagetune.localstack.infrastructure.EmbeddedKafka;
import io.stagetune.localstack.infrastructure.EmbeddedS3;
import io.stagetune.testsupport.PostgresSchema;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.ToDoubleFunction;

/**
 * Ingest throughput through the REST API of the packaged service, with one replica and with two sharing one database,
 * beside the raw put rate of the same files into the same S3Proxy, in the same run. Clients post batches concurrently;
 * with two replicas they alternate between them. The three phases run in {@link #ROUNDS} rounds, each on new keys and
 * new datasets and each in another order, and the ratios are taken per round: the machine's speed drifts within a
 * run, and a ratio of two phases measured next to each other drifts less than one of phases far apart. Not part of
 * the test suite (no "Test"/"IT" suffix); run it with {@code scripts/benchmark-ingest.sh}.
 */
class IngestBenchmark {

    private static final int IMAGES = Integer.getInteger("benchmark.images", 10_000);
    private static final int BATCH = Integer.getInteger("benchmark.batch", 500);
    private static final int CLIENTS = Integer.getInteger("benchmark.clients", 4);
    private static final int WARMUP_BATCHES_PER_REPLICA = Integer.getInteger("benchmark.warmup-batches", 10);
    private static final int ROUNDS = Integer.getInteger("benchmark.rounds", 3);
    /** {@code h2} (the local stack's H2 server, in this JVM) or {@code postgresql} (the test server, as in production). */
    private static final String DATABASE = System.getProperty("benchmark.database", "h2");
    /** The service's default number of parallel puts per upload ({@code ingest.store-parallelism}). */
    private static final int PARALLEL_PUTS = 4;

    @Test
    void ingestThroughputWithOneAndTwoReplicasBesideRawPuts() throws Exception {
        Path folder = Files.createTempDirectory("ingest-benchmark-");
        List<Labelled> images = images(IMAGES);
        try (EmbeddedKafka kafka = EmbeddedKafka.start(); EmbeddedS3 s3 = EmbeddedS3.start();
             Database database = Database.start(folder);
             IngestReplicas replicas = IngestReplicas.start(database.runner(), 2, database.environment(),
                     kafka.bootstrapServers(), s3.settings(), folder.resolve("logs"))) {
            ObjectStore store = new ObjectStore(s3.settings());
            store.ensureBucket("raw-puts");

            // Warm-up of every path on other keys and other datasets, long enough for the JIT compiler to be done
            // with the hot paths: a service that ingests all day runs compiled code, and a replica's first
            // thousands of images are slowed down as much by compilation as by the work itself.
            int warmup = Math.min(images.size(), WARMUP_BATCHES_PER_REPLICA * 2 * BATCH);
            rawPuts(store, images.subList(0, warmup), "warmup/");
            ingest(List.of(replicas.url(0), replicas.url(1)), "warmup", images.subList(0, warmup));

            List<Round> rounds = new ArrayList<>();
            for (int round = 1; round <= ROUNDS; round++) {
                String suffix = "-" + round;
                Map<String, Phase.Work> work = new LinkedHashMap<>();
                work.put("raw", () -> rawPuts(store, images, "raw" + suffix + "/"));
                work.put("one", () -> ingest(List.of(replicas.url(0)), "one-replica" + suffix, images));
                work.put("two", () -> ingest(List.of(replicas.url(0), replicas.url(1)), "two-replicas" + suffix,
                        images));
                // Round 1 runs raw, one, two; round 2 one, two, raw; round 3 two, raw, one; and so on.
                List<String> order = new ArrayList<>(work.keySet());
                Collections.rotate(order, -(round - 1));
                Map<String, Phase> phases = new HashMap<>();
                for (String phase : order) {
                    phases.put(phase, Phase.measure(replicas, database, images.size(), work.get(phase)));
                }
                rounds.add(new Round(String.join(", ", order), phases.get("raw"), phases.get("one"),
                        phases.get("two")));
            }

            long bytes = images.stream().mapToLong(image -> image.png.length).sum();
            System.out.printf(Locale.ROOT, "%nIngest benchmark: %d real Fashion-MNIST PNGs (%s), %.1f KB, batches of "
                            + "%d from %d concurrent clients, %d parallel puts per upload, %d cores, %d warm-up "
                            + "images, %d rounds, database %s%n",
                    images.size(), FashionMnist.isInstalled() ? "full dataset" : "sample variants", bytes / 1024.0,
                    BATCH, CLIENTS, PARALLEL_PUTS, Runtime.getRuntime().availableProcessors(), warmup, ROUNDS,
                    DATABASE);
            System.out.println("  CPU ms per image: 'service' = the ingest replicas; 'rest' = this JVM (S3Proxy, "
                    + "Kafka, the clients" + (database.schema() == null ? " and the H2 server)"
                    : ") and the PostgreSQL server's processes"));
            for (int i = 0; i < rounds.size(); i++) {
                Round round = rounds.get(i);
                System.out.printf(Locale.ROOT, "  round %d (%s)%n", i + 1, round.order());
                System.out.printf(Locale.ROOT, "    raw S3 put (%d parallel): %s%n", PARALLEL_PUTS, round.raw());
                System.out.printf(Locale.ROOT, "    ingest, 1 replica:        %s incl. validation, dedupe, database "
                        + "commit, manifests, events%n", round.one());
                System.out.printf(Locale.ROOT, "    ingest, 2 replicas:       %s%n", round.two());
                System.out.printf(Locale.ROOT, "    1 replica / raw put: %.2f; 2 replicas / 1 replica: %.2f%n",
                        round.oneToRaw(), round.twoToOne());
            }
            System.out.printf(Locale.ROOT, "  median of %d rounds: raw %.1f, 1 replica %.1f, 2 replicas %.1f images/s%n",
                    rounds.size(), median(rounds, round -> round.raw().rate()),
                    median(rounds, round -> round.one().rate()), median(rounds, round -> round.two().rate()));
            System.out.printf(Locale.ROOT, "  1 replica / raw put:      %8.2f (median of the rounds' ratios; target "
                    + ">= 0.90)%n", median(rounds, Round::oneToRaw));
            System.out.printf(Locale.ROOT, "  2 replicas / 1 replica:   %8.2f%n%n", median(rounds, Round::twoToOne));
        }
    }

    /** One round's three phases, in the order they ran. */
    private record Round(String order, Phase raw, Phase one, Phase two) {

        double oneToRaw() {
            return one.rate() / raw.rate();
        }

        double twoToOne() {
            return two.rate() / one.rate();
        }
    }

    private static double median(List<Round> rounds, ToDoubleFunction<Round> value) {
        double[] values = rounds.stream().mapToDouble(value).sorted().toArray();
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    /** The replicas' database: an H2 server in this JVM, or a fresh schema of the PostgreSQL test server. */
    private record Database(Path runner, Map<String, String> environment, EmbeddedDatabase h2, PostgresSchema schema)
            implements AutoCloseable {

        static Database start(Path folder) {
            if (DATABASE.equals("postgresql")) {
                PostgresSchema.unavailable().ifPresent(reason -> {
                    throw new IllegalStateException("-Dbenchmark.database=postgresql: " + reason);
                });
                PostgresSchema schema = PostgresSchema.named("ingest_benchmark");
                return new Database(Path.of("target/quarkus-app-postgresql/quarkus-run.jar"),
                        IngestReplicas.postgresEnvironment(schema), null, schema);
            }
            if (!DATABASE.equals("h2")) {
                throw new IllegalArgumentException("-Dbenchmark.database must be h2 or postgresql, got " + DATABASE);
            }
            EmbeddedDatabase h2 = EmbeddedDatabase.start(folder.resolve("db"), 0);
            return new Database(Path.of("target/quarkus-app/quarkus-run.jar"), Map.of("INGEST_DB_URL",
                    h2.jdbcUrl("ingest"), "INGEST_DB_USER", "ingest", "INGEST_DB_PASSWORD", "benchmark"), h2, null);
        }

        /** CPU seconds of the PostgreSQL server's processes (0 with H2, whose server runs in this JVM). */
        double serverCpuSeconds() {
            if (schema == null) {
                return 0;
            }
            return ProcessHandle.allProcesses()
                    .filter(process -> process.info().command().map(command -> command.contains("postgres"))
                            .orElse(false))
                    .mapToLong(process -> process.info().totalCpuDuration().map(Duration::toNanos)
                            .orElse(0L)).sum() / 1e9;
        }

        @Override
        public void close() {
            if (h2 != null) {
                h2.close();
            }
            if (schema != null) {
                schema.close();
            }
        }
    }

    /** One measured phase: wall time, and the CPU time of the replicas and of this JVM meanwhile. */
    private record Phase(int images, double seconds, double serviceCpu, double restCpu) {

        interface Work {
            void run() throws Exception;
        }

        static Phase measure(IngestReplicas replicas, Database database, int images, Work work) throws Exception {
            com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            double service = replicas.cpuSeconds();
            double rest = os.getProcessCpuTime() / 1e9 + database.serverCpuSeconds();
            long start = System.nanoTime();
            work.run();
            return new Phase(images, (System.nanoTime() - start) / 1e9, replicas.cpuSeconds() - service,
                    os.getProcessCpuTime() / 1e9 + database.serverCpuSeconds() - rest);
        }

        double rate() {
            return images / seconds;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%8.1f images/s (%.2f s; CPU ms per image: service %.2f, rest %.2f)",
                    rate(), seconds, 1000 * serviceCpu / images, 1000 * restCpu / images);
        }
    }

    private static void rawPuts(ObjectStore store, List<Labelled> images, String prefix) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_PUTS);
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

    /**
     * Posts the batches from {@link #CLIENTS} concurrent clients, batch i to replica i mod n, with the JDK's HTTP
     * client, as lean client processes would (no test-framework overhead).
     */
    private static void ingest(List<String> replicas, String dataset, List<Labelled> images) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> posts = new ArrayList<>();
            for (int start = 0; start < images.size(); start += BATCH) {
                int batch = start / BATCH;
                List<Labelled> part = images.subList(start, Math.min(images.size(), start + BATCH));
                posts.add(clients.submit(() -> {
                    post(client, URI.create(replicas.get(batch % replicas.size()) + "/datasets/" + dataset + "/images"),
                            part, "batch" + batch);
                    return null;
                }));
            }
            for (Future<?> post : posts) {
                post.get();
            }
        } finally {
            clients.shutdown();
        }
    }

    private static void post(HttpClient client, URI uri, List<Labelled> images, String boundary) throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Labelled image : images) {
            part(body, boundary, "Content-Disposition: form-data; name=\"file\"; filename=\"" + image.sha256
                    + ".png\"\r\nContent-Type: image/png", image.png);
            part(body, boundary, "Content-Disposition: form-data; name=\"label\"",
                    image.label.getBytes(StandardCharsets.UTF_8));
        }
        body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri)
                        .header("Authorization", "Bearer " + IngestReplicas.TOKEN)
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("upload answered " + response.statusCode() + ": " + response.body());
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
