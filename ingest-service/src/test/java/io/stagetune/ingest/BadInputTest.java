package io.stagetune.ingest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.stagetune.localstack.infrastructure.EmbeddedKafka;
import io.stagetune.localstack.infrastructure.EmbeddedS3;
import io.stagetune.testsupport.InjectKafka;
import io.stagetune.testsupport.InjectS3;
import io.stagetune.testsupport.KafkaTestResource;
import io.stagetune.testsupport.S3TestResource;
import io.stagetune.common.Topics;
import io.stagetune.common.events.PipelineEvent;
import io.stagetune.testsupport.TopicEvents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static io.restassured.RestAssured.given;
import static io.stagetune.ingest.IngestTestSupport.keys;
import static io.stagetune.ingest.IngestTestSupport.uploader;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kind of bad input: a clear error naming the file and reason, no object left behind, nothing in the dataset,
 * no event sent.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class BadInputTest {

    private static final AtomicInteger DATASETS = new AtomicInteger();
    /** Every dataset a test refused; none of them may ever appear on dataset-events. */
    private static final Set<String> REFUSED = ConcurrentHashMap.newKeySet();
    private static volatile String bootstrapServers;

    @InjectKafka
    EmbeddedKafka kafka;

    @InjectS3
    EmbeddedS3 s3;

    private final Path png = TestImages.pngs("train", "coat", 1).get(0);
    private String dataset;

    @AfterEach
    void nothingStoredOrAnnounced() {
        if (dataset != null) {
            assertThat(keys(s3, dataset + "/")).as("objects of %s", dataset).isEmpty();
            uploader().get("/datasets/{id}", dataset).then().statusCode(404);
            REFUSED.add(dataset);
            bootstrapServers = kafka.bootstrapServers();
        }
    }

    /** One wait for late events covers every refused dataset of the class, instead of one wait per test. */
    @AfterAll
    static void nothingAnnounced() {
        if (bootstrapServers != null) {
            List<PipelineEvent> events = TopicEvents.read(bootstrapServers, Topics.DATASET_EVENTS, null,
                    Integer.MAX_VALUE, Duration.ofSeconds(2));
            assertThat(events).as("events of the refused datasets %s", REFUSED)
                    .noneMatch(event -> REFUSED.contains(event.key()));
        }
    }

    @Test
    void nonImage() {
        assertRejected(bytes("notes.png", "plain text".getBytes(), "coat"), "not a PNG or JPEG image");
    }

    @Test
    void corruptImage() {
        byte[] good = TestImages.bytes(png);
        assertRejected(bytes("cut.png", Arrays.copyOf(good, good.length - 40), "coat"), "corrupt or truncated PNG image");
    }

    @Test
    void fileOverTheByteLimit() {
        byte[] big = Arrays.copyOf(TestImages.bytes(png), 200_001);
        assertRejected(bytes("big.png", big, "coat"), "200001 bytes exceeds the limit of 200000 bytes per file");
    }

    @Test
    void decompressionBomb() {
        assertRejected(bytes("bomb.png", TestImages.blankPng(1500, 1000), "coat"),
                "image too large: 1500x1000 pixels, the limit is 1000000 pixels");
    }

    @Test
    void badLabel() {
        assertRejected(bytes("x.png", TestImages.bytes(png), "../etc"), "label '../etc' must match");
    }

    @Test
    void badSplit() {
        assertRejected(request -> request.multiPart("file", png.toFile(), "image/png").multiPart("label", "coat")
                .multiPart("split", "holdout"), "unknown split 'holdout'");
    }

    @Test
    void pathTraversalRefusesTheWholeArchive() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("coat/good.png", TestImages.bytes(png));
        entries.put("coat/../../evil.png", TestImages.bytes(png));
        assertRefused(archive(Archives.zip(entries)), 400, "entry 'coat/../../evil.png' escapes the archive");
    }

    @Test
    void absolutePathRefusesTheWholeArchive() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("coat/good.png", TestImages.bytes(png));
        entries.put("/tmp/coat/evil.png", TestImages.bytes(png));
        assertRefused(archive(Archives.tarGz(entries)), 400, "entry '/tmp/coat/evil.png' is an absolute path");
    }

    @Test
    void tooManyArchiveEntries() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < 51; i++) {
            entries.put("coat/" + i + ".png", TestImages.bytes(png));
        }
        assertRefused(archive(Archives.zip(entries)), 413, "has more than 50 entries");
    }

    @Test
    void zipBomb() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("coat/good.png", TestImages.bytes(png));
        for (int i = 0; i < 20; i++) {
            entries.put("coat/zeros-" + i + ".png", new byte[199_000]);
        }
        Path zip = Archives.zip(entries);
        assertThat(zip.toFile().length()).isLessThan(100_000);
        assertRefused(archive(zip), 413, "expands to more than 3000000 bytes");
    }

    @Test
    void notAnArchive() {
        assertRefused(request -> request.multiPart("archive", "images.zip", "hello".getBytes(), "application/zip"),
                415, "archive 'images.zip' is neither a zip nor a tar.gz file");
    }

    @Test
    void labelsThatDoNotMatchTheFiles() {
        assertRefused(request -> request.multiPart("file", png.toFile(), "image/png")
                .multiPart("file", png.toFile(), "image/png").multiPart("file", png.toFile(), "image/png")
                .multiPart("label", "coat").multiPart("label", "bag"), 400, "got 3 'file' parts and 2 'label' parts");
    }

    @Test
    void noFiles() {
        assertRefused(request -> request.multiPart("label", "coat"), 400, "no files");
    }

    @Test
    void requestOverTheBodyLimit() {
        dataset = "bad-" + DATASETS.incrementAndGet();
        uploader().multiPart("file", "huge.png", new byte[9 * 1024 * 1024], "image/png").multiPart("label", "coat")
                .post("/datasets/{id}/images", dataset).then().statusCode(413);
    }

    @Test
    void notMultipart() {
        dataset = "bad-" + DATASETS.incrementAndGet();
        uploader().contentType("application/json").body("{}").post("/datasets/{id}/images", dataset)
                .then().statusCode(415);
    }

    @Test
    void invalidDatasetId() {
        Response response = uploader().multiPart("file", png.toFile(), "image/png").multiPart("label", "coat")
                .post("/datasets/{id}/images", "has space");
        response.then().statusCode(400);
        assertThat(response.jsonPath().getString("error")).contains("dataset id 'has space' must match");
    }

    @Test
    void unauthenticatedUploadIs401AndWrongRoleIs403() {
        dataset = "bad-" + DATASETS.incrementAndGet();
        given().multiPart("file", png.toFile(), "image/png").multiPart("label", "coat")
                .post("/datasets/{id}/images", dataset).then().statusCode(401).header("WWW-Authenticate", "Bearer");
        given().header("Authorization", "Bearer wrong-token").multiPart("file", png.toFile(), "image/png")
                .multiPart("label", "coat").post("/datasets/{id}/images", dataset).then().statusCode(401);
        given().header("Authorization", "Bearer test-reader-token").multiPart("file", png.toFile(), "image/png")
                .multiPart("label", "coat").post("/datasets/{id}/images", dataset).then().statusCode(403);
        given().post("/datasets/{id}/seal", dataset).then().statusCode(401);
    }

    private static Function<RequestSpecification, RequestSpecification> bytes(String name, byte[] content,
                                                                            String label) {
        return request -> request.multiPart("file", name, content, "image/png").multiPart("label", label);
    }

    private static Function<RequestSpecification, RequestSpecification> archive(Path file) {
        return request -> request.multiPart("archive", file.toFile(), "application/octet-stream");
    }

    /** One bad file alone: 422 with the file's reason. */
    private void assertRejected(Function<RequestSpecification, RequestSpecification> form, String reason) {
        dataset = "bad-" + DATASETS.incrementAndGet();
        Response response = form.apply(uploader()).post("/datasets/{id}/images", dataset);
        response.then().statusCode(422);
        assertThat(response.jsonPath().getString("files[0].status")).isEqualTo("rejected");
        assertThat(response.jsonPath().getString("files[0].reason")).contains(reason);
        assertThat(response.jsonPath().getString("version")).isNull();
    }

    /** A request bad as a whole: the status and a message naming the item. */
    private void assertRefused(Function<RequestSpecification, RequestSpecification> form, int status,
                               String message) {
        dataset = "bad-" + DATASETS.incrementAndGet();
        Response response = form.apply(uploader()).post("/datasets/{id}/images", dataset);
        response.then().statusCode(status);
        assertThat(response.jsonPath().getString("error")).contains(message);
    }
}
