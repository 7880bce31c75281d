package io.stagetune.ingest.replicas;

import io.restassured.response.Response;
import io.stagetune.common.Topics;
import io.stagetune.common.dataset.DatasetManifests;
import io.stagetune.common.dataset.DatasetVersion;
import io.stagetune.common.dataset.ManifestEntry;
import io.stagetune.common.events.DatasetVersionCreated;
import io.stagetune.common.events.EventJson;
import io.stagetune.common.events.PipelineEvent;
import io.stagetune.common.events.PredictionMade;
import io.stagetune.common.storage.ObjectKeys;
import io.stagetune.common.storage.ObjectStore;
import io.stagetune.ingest.TestImages;
import io.stagetune.localstack.infrastructure.EmbeddedKafka;
import io.stagetune.localstack.infrastructure.EmbeddedS3;
import io.stagetune.testsupport.TopicEvents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas of the packaged ingest service against one broker, one store and one database, with clients that do
 * not care which replica answers: no accepted image is lost, versions are numbered 1..N once each and never change,
 * each version is announced once, every replica answers the same, and a replica killed in the middle of its commits
 * loses nothing. Subclasses supply the database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ReplicaScenarios {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String BUCKET = "datasets";

    private EmbeddedKafka kafka;
    private EmbeddedS3 s3;
    private ObjectStore store;
    private IngestReplicas replicas;

    /** The packaged service to run, for this database. */
    abstract Path runner();

    /** The {@code INGEST_DB_*} environment of a database both replicas share (created here). */
    abstract Map<String, String> database(Path folder) throws Exception;

    /** Drops what {@link #database} created. */
    abstract void dropDatabase();

    @BeforeAll
    void startReplicas() throws Exception {
        Path folder = Files.createTempDirectory("ingest-replicas-");
        Map<String, String> database = database(folder);
        kafka = EmbeddedKafka.start();
        s3 = EmbeddedS3.start();
        store = new ObjectStore(s3.settings());
        replicas = IngestReplicas.start(runner(), 2, database, kafka.bootstrapServers(), s3.settings(),
                folder.resolve("logs"));
    }

    @AfterAll
    void stopReplicas() {
        if (replicas != null) {
            replicas.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        dropDatabase();
    }

    @Test
    @Order(1)
    void eightClientsOnTwoReplicasLoseNoImageAndNumberVersionsOnceEach() throws Exception {
        String dataset = "concurrent";
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int client = 0; client < 8; client++) {
                int id = client;
                done.add(clients.submit(() -> {
                    // 25 requests of 2 images each, alternating replicas; every other one only staged.
                    for (int request = 0; request < 25; request++) {
                        int seed = id * 1_000 + request * 2;
                        Response response = upload(replicas.url((id + request) % 2), dataset,
                                request % 2 == 0, png(seed), png(seed + 1));
                        assertThat(response.statusCode()).as(response.asString()).isIn(200, 201);
                        accepted.addAll(response.jsonPath().<String>getList("files.findAll { it.status == 'accepted' }.sha256"));
                    }
                    Response sealed = given().baseUri(replicas.url(id % 2)).auth().oauth2(IngestReplicas.TOKEN)
                            .post("/datasets/{id}/seal", dataset);
                    assertThat(sealed.statusCode()).isIn(200, 201);
                    return null;
                }));
            }
            for (Future<?> client : done) {
                client.get();
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(accepted).hasSize(400);

        int latest = assertVersionsAreWholeAndAnnouncedOnce(dataset);
        assertThat(manifest(dataset, latest).stream().map(ManifestEntry::sha256).toList())
                .as("the latest version holds every accepted image once").hasSize(400)
                .containsExactlyInAnyOrderElementsOf(accepted);
        assertThat(given().baseUri(replicas.url(0)).get("/datasets/{id}", dataset).asString())
                .as("both replicas answer the same").isEqualTo(given().baseUri(replicas.url(1))
                        .get("/datasets/{id}", dataset).asString());
    }

    @Test
    @Order(3)
    void aReplicaKilledInTheMiddleOfItsCommitsLosesNothingAccepted() throws Exception {
        String dataset = "killed";
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        AtomicInteger answered = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int client = 0; client < 4; client++) {
                int id = client;
                done.add(clients.submit(() -> {
                    for (int request = 0; request < 100; request++) {
                        byte[][] images = IntStream.range(0, 10).mapToObj(i -> png(50_000 + id * 10_000 + i))
                                .toArray(byte[][]::new);
                        Response response;
                        try {
                            response = upload(replicas.url(1), dataset, true, images);
                        } catch (Exception connectionLost) {
                            return null;
                        }
                        if (response.statusCode() == 201 || response.statusCode() == 200) {
                            accepted.addAll(response.jsonPath()
                                    .<String>getList("files.findAll { it.status == 'accepted' }.sha256"));
                        }
                        answered.incrementAndGet();
                    }
                    return null;
                }));
            }
            await().atMost(WAIT).until(() -> answered.get() >= 12);
            replicas.kill(1);
            for (Future<?> client : done) {
                client.get();
            }
        } finally {
            clients.shutdownNow();
            replicas.restart(1);
        }
        // Anything the killed replica had staged but not committed goes into a version now.
        given().baseUri(replicas.url(0)).auth().oauth2(IngestReplicas.TOKEN).post("/datasets/{id}/seal", dataset);

        int latest = assertVersionsAreWholeAndAnnouncedOnce(dataset);
        assertThat(manifest(dataset, latest).stream().map(ManifestEntry::sha256).toList())
                .as("every image a client was told was accepted").containsAll(accepted);
    }

    @Test
    @Order(2)
    void theSameImageSentToBothReplicasAtOnceIsStoredOnceAndReportedDuplicateOnce() throws Exception {
        String dataset = "same-image";
        ExecutorService clients = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 10; round++) {
                byte[] image = png(90_000 + round);
                CyclicBarrier together = new CyclicBarrier(2);
                List<Future<String>> statuses = new ArrayList<>();
                for (int replica = 0; replica < 2; replica++) {
                    String url = replicas.url(replica);
                    statuses.add(clients.submit(() -> {
                        together.await();
                        return upload(url, dataset, true, image).jsonPath().getString("files[0].status");
                    }));
                }
                List<String> outcome = List.of(statuses.get(0).get(), statuses.get(1).get());
                assertThat(outcome).as("round %d", round).containsExactlyInAnyOrder("accepted", "duplicate");
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(store.list(BUCKET, dataset + "/images/")).hasSize(10);
        int latest = assertVersionsAreWholeAndAnnouncedOnce(dataset);
        assertThat(manifest(dataset, latest)).hasSize(10);
    }

    @Test
    @Order(4)
    void labelsGivenOnBothReplicasAtOnceEnterTheDatasetOnceInWholeVersions() throws Exception {
        String dataset = "reviewed";
        String model = "review-model";
        upload(replicas.url(0), dataset, true, png(70_000)).then().statusCode(201);
        store.ensureBucket("predictions");
        List<PredictionMade> predictions = new ArrayList<>();
        Random ids = new Random(31);
        for (int i = 0; i < 30; i++) {
            byte[] image = png(80_000 + i);
            String sha256 = TestImages.sha256(image);
            store.put("predictions", model + "/" + sha256, image, "image/png");
            predictions.add(new PredictionMade(PipelineEvent.newId(), PipelineEvent.SCHEMA_VERSION,
                    Instant.parse("2026-12-01T10:00:00Z").plusSeconds(i), new UUID(ids.nextLong(), ids.nextLong()),
                    model, 3, "production", List.of(new PredictionMade.ImagePrediction(sha256, List.of(
                            new PredictionMade.LabelProbability("noise", 0.4)), true)), 2.0, dataset, null));
        }
        TopicEvents.publishAll(kafka.bootstrapServers(), predictions);
        // Both replicas are in group ingest-review: each prediction is picked once, whichever consumed it.
        await().atMost(WAIT).until(() -> {
            Response queue = given().baseUri(replicas.url(1)).get("/models/{m}/review", model);
            return queue.statusCode() == 200 && queue.jsonPath().getInt("open") == 30;
        });

        ExecutorService reviewers = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (PredictionMade prediction : predictions) {
                for (int replica = 0; replica < 2; replica++) {
                    String url = replicas.url(replica);
                    statuses.add(reviewers.submit(() -> given().baseUri(url).auth()
                            .oauth2(IngestReplicas.REVIEWER_TOKEN).contentType("application/json")
                            .body(Map.of("label", "noise"))
                            .post("/models/{m}/review/{id}", model, prediction.predictionId().toString())
                            .statusCode()));
                }
            }
            for (Future<Integer> status : statuses) {
                assertThat(status.get()).as("the same label twice, on either replica, is answered alike")
                        .isEqualTo(200);
            }
        } finally {
            reviewers.shutdownNow();
        }
        given().baseUri(replicas.url(1)).auth().oauth2(IngestReplicas.REVIEWER_TOKEN)
                .post("/models/{m}/review/seal", model).then().statusCode(org.hamcrest.Matchers.oneOf(200, 201));
        assertThat(given().baseUri(replicas.url(0)).get("/models/{m}/review?state=labelled&limit=100", model)
                .jsonPath().getList("items")).hasSize(30);
        int latest = assertVersionsAreWholeAndAnnouncedOnce(dataset);
        List<ManifestEntry> labelled = manifest(dataset, latest).stream()
                .filter(entry -> entry.provenance() != null).toList();
        assertThat(labelled).hasSize(30);
        assertThat(labelled).extracting(entry -> entry.provenance().predictionId()).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(predictions.stream()
                        .map(prediction -> prediction.predictionId().toString()).toList());
        // 30 labels in batches of 10 (concurrent seals may cut one short): a few versions, never one per label.
        assertThat(latest - 1).isBetween(3, 10);
    }

    /**
     * Versions 1..N as both replicas list them; each version's manifest and summary are in the bucket and agree, each
     * manifest begins with the one before (versions never change); and each version was announced once: one
     * {@code DatasetVersionCreated} and one {@code ImagesIngested} event id per version, every copy the same.
     *
     * @return N
     */
    private int assertVersionsAreWholeAndAnnouncedOnce(String dataset) {
        Response view = given().baseUri(replicas.url(0)).get("/datasets/{id}", dataset);
        int latest = view.jsonPath().getInt("latestVersion");
        assertThat(view.jsonPath().<Integer>getList("versions.version"))
                .isEqualTo(IntStream.rangeClosed(1, latest).boxed().toList());
        List<ManifestEntry> previous = List.of();
        for (int version = 1; version <= latest; version++) {
            DatasetVersion summary = EventJson.readDocument(store.get(BUCKET,
                    ObjectKeys.versionSummary(dataset, version)), DatasetVersion.class);
            List<ManifestEntry> manifest = manifest(dataset, version);
            assertThat(manifest).as("v%d", version).hasSize(summary.imageCount());
            assertThat(manifest.subList(0, previous.size())).as("v%d begins with v%d", version, version - 1)
                    .isEqualTo(previous);
            assertThat(new HashSet<>(manifest)).hasSameSizeAs(manifest);
            previous = manifest;
        }

        List<PipelineEvent> distinct = TopicEvents.readDistinct(kafka.bootstrapServers(), Topics.DATASET_EVENTS,
                dataset, 2 * latest, WAIT);
        assertThat(distinct).hasSize(2 * latest);
        assertThat(distinct.stream().filter(DatasetVersionCreated.class::isInstance)
                .map(event -> ((DatasetVersionCreated) event).version()).sorted().toList())
                .isEqualTo(IntStream.rangeClosed(1, latest).boxed().toList());
        Map<Object, String> firstCopy = new HashMap<>();
        for (String copy : TopicEvents.readRaw(kafka.bootstrapServers(), Topics.DATASET_EVENTS, dataset,
                2 * latest, WAIT)) {
            String previousCopy = firstCopy.putIfAbsent(EventJson.read(copy).eventId(), copy);
            assertThat(previousCopy == null || previousCopy.equals(copy)).as("copies of one event are the same")
                    .isTrue();
        }
        return latest;
    }

    private List<ManifestEntry> manifest(String dataset, int version) {
        return DatasetManifests.parse(store.get(BUCKET, ObjectKeys.manifest(dataset, version)));
    }

    private static Response upload(String url, String dataset, boolean commit, byte[]... images) {
        var request = given().baseUri(url).auth().oauth2(IngestReplicas.TOKEN).queryParam("commit", commit)
                .multiPart("label", "noise");
        for (int i = 0; i < images.length; i++) {
            request.multiPart("file", "image-" + i + ".png", images[i], "image/png");
        }
        return request.post("/datasets/{id}/images", dataset);
    }

    /** A distinct 8x8 grayscale PNG per seed. */
    private static byte[] png(int seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                image.getRaster().setSample(x, y, 0, random.nextInt(256));
            }
        }
        return TestImages.encode(image, "png");
    }
}
