package io.stagetune.ingest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.stagetune.common.dataset.ManifestEntry;
import io.stagetune.localstack.infrastructure.EmbeddedKafka;
import io.stagetune.localstack.infrastructure.EmbeddedS3;
import io.stagetune.testsupport.InjectKafka;
import io.stagetune.testsupport.InjectS3;
import io.stagetune.testsupport.KafkaTestResource;
import io.stagetune.testsupport.S3TestResource;
import io.stagetune.common.events.DatasetVersionCreated;
import io.stagetune.common.events.EventJson;
import io.stagetune.common.events.ImagesIngested;
import io.stagetune.common.events.PipelineEvent;
import io.stagetune.common.events.Split;
import io.stagetune.common.storage.ObjectStore;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.stagetune.ingest.IngestTestSupport.BUCKET;
import static io.stagetune.ingest.IngestTestSupport.keys;
import static io.stagetune.ingest.IngestTestSupport.uploader;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class DatasetResourceTest {

    @InjectKafka
    EmbeddedKafka kafka;

    @InjectS3
    EmbeddedS3 s3;

    @Test
    void uploadStoresObjectsAndManifestThenAnnouncesBothEvents() throws InterruptedException {
        String dataset = "upload-basic";
        List<Path> coats = TestImages.pngs("train", "coat", 12);
        List<Path> bags = TestImages.pngs("train", "bag", 8);
        var request = uploader().multiPart("label", "coat");
        coats.forEach(file -> request.multiPart("file", file.toFile(), "image/png"));
        Response response = request.post("/datasets/{id}/images", dataset);
        response.then().statusCode(201);
        assertThat(response.jsonPath().getInt("version")).isEqualTo(1);
        assertThat(response.jsonPath().getInt("accepted")).isEqualTo(12);
        assertThat(response.jsonPath().getList("files.status")).containsOnly("accepted");

        var second = uploader();
        bags.forEach(file -> second.multiPart("file", file.toFile(), "image/png").multiPart("label", "bag"));
        second.post("/datasets/{id}/images", dataset).then().statusCode(201);

        assertThat(keys(s3, dataset + "/images/")).hasSize(20);
        ObjectStore store = new ObjectStore(s3.settings());
        String manifest = new String(store.get(BUCKET, dataset + "/manifests/v2.jsonl"), StandardCharsets.UTF_8);
        List<ManifestEntry> entries = manifest.lines().map(line -> EventJson.readDocument(
                line.getBytes(StandardCharsets.UTF_8), ManifestEntry.class)).toList();
        assertThat(entries).hasSize(20).allSatisfy(entry -> {
            assertThat(entry.key()).isEqualTo(dataset + "/images/" + entry.sha256() + ".png");
            assertThat(entry.width()).isEqualTo(28);
            assertThat(store.exists(BUCKET, entry.key())).isTrue();
        });
        assertThat(entries.stream().filter(e -> e.label().equals("bag"))).hasSize(8);

        List<PipelineEvent> events = DatasetEventsReader.read(kafka.bootstrapServers(), dataset, 4,
                Duration.ofSeconds(20));
        assertThat(events).hasSize(4);
        ImagesIngested ingested = (ImagesIngested) events.get(2);
        assertThat(ingested.version()).isEqualTo(2);
        assertThat(ingested.accepted()).isEqualTo(8);
        assertThat(ingested.acceptedPerLabel()).containsExactly(Map.entry("bag", 8));
        DatasetVersionCreated created = (DatasetVersionCreated) events.get(3);
        assertThat(created.version()).isEqualTo(2);
        assertThat(created.previousVersion()).isEqualTo(1);
        assertThat(created.imageCount()).isEqualTo(20);
        assertThat(created.labels()).containsExactly("bag", "coat");
        assertThat(created.newLabels()).containsExactly("bag");
        assertThat(created.counts().get("coat").values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(12);
        assertThat(created.newImages().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(8);
        assertThat(created.manifestKey()).isEqualTo(dataset + "/manifests/v2.jsonl");

        uploader().get("/datasets/{id}", dataset).then().statusCode(200);
        Response view = uploader().get("/datasets/{id}", dataset);
        assertThat(view.jsonPath().getInt("latestVersion")).isEqualTo(2);
        assertThat(view.jsonPath().getInt("imageCount")).isEqualTo(20);
        assertThat(view.jsonPath().getList("versions.version")).containsExactly(1, 2);
        Response version = uploader().get("/datasets/{id}/versions/1", dataset);
        assertThat(version.jsonPath().getInt("imageCount")).isEqualTo(12);
        assertThat(uploader().get("/datasets").jsonPath().getList("datasetId")).contains(dataset);
        uploader().get("/datasets/{id}/versions/9", dataset).then().statusCode(404);
        uploader().get("/datasets/never-uploaded").then().statusCode(404);
    }

    @Test
    void sameImageTwiceIsReportedDuplicateAndStoredOnce() {
        String dataset = "upload-dupes";
        Path coat = TestImages.pngs("train", "coat", 1).get(0);
        Response first = uploader().multiPart("file", coat.toFile(), "image/png")
                .multiPart("file", coat.toFile(), "image/png").multiPart("label", "coat")
                .post("/datasets/{id}/images", dataset);
        first.then().statusCode(201);
        assertThat(first.jsonPath().getList("files.status")).containsExactly("accepted", "duplicate");

        Response again = uploader().multiPart("file", coat.toFile(), "image/png").multiPart("label", "coat")
                .post("/datasets/{id}/images", dataset);
        again.then().statusCode(200);
        assertThat(again.jsonPath().getString("files[0].status")).isEqualTo("duplicate");
        assertThat(again.jsonPath().getString("version")).isNull();

        Response relabelled = uploader().multiPart("file", coat.toFile(), "image/png").multiPart("label", "bag")
                .post("/datasets/{id}/images", dataset);
        relabelled.then().statusCode(422);
        assertThat(relabelled.jsonPath().getString("files[0].reason"))
                .isEqualTo("the same image is already stored with label 'coat'");

        assertThat(keys(s3, dataset + "/images/")).hasSize(1);
        assertThat(keys(s3, dataset + "/manifests/")).containsExactly(dataset + "/manifests/v1.json",
                dataset + "/manifests/v1.jsonl");
        assertThat(DatasetEventsReader.read(kafka.bootstrapServers(), dataset, 2, Duration.ofSeconds(10)))
                .hasSize(2);
    }

    @Test
    void duplicatesAmongHundredsOfFilesAreFoundInTheirOwnDatasetOnly() {
        // 150 images in dataset a, 150 others in dataset b; then all 300 into a: the dataset is asked about them in
        // look-ups of 128, 128 and 44 (padded) hashes, and only a's own 150 may come back as duplicates.
        List<Path> inA = new java.util.ArrayList<>();
        List<Path> inB = new java.util.ArrayList<>();
        for (String label : List.of("coat", "bag", "shirt")) {
            inA.addAll(TestImages.pngs("train", label, 50));
        }
        for (String label : List.of("sandal", "sneaker", "trouser")) {
            inB.addAll(TestImages.pngs("train", label, 50));
        }
        upload("dedupe-many-a", inA).then().statusCode(201);
        upload("dedupe-many-b", inB).then().statusCode(201);

        List<Path> all = new java.util.ArrayList<>(inB.subList(0, 70));
        all.addAll(inA);
        all.addAll(inB.subList(70, inB.size()));
        Response response = upload("dedupe-many-a", all);
        response.then().statusCode(201);
        assertThat(response.jsonPath().getInt("accepted")).isEqualTo(150);
        assertThat(response.jsonPath().getInt("duplicates")).isEqualTo(150);
        List<String> statuses = response.jsonPath().getList("files.status");
        for (int i = 0; i < all.size(); i++) {
            assertThat(statuses.get(i)).as(all.get(i).toString())
                    .isEqualTo(inA.contains(all.get(i)) ? "duplicate" : "accepted");
        }
    }

    /** One upload, each file labelled by its folder. */
    private static Response upload(String dataset, List<Path> files) {
        var request = uploader();
        files.forEach(file -> request.multiPart("file", file.toFile(), "image/png")
                .multiPart("label", file.getParent().getFileName().toString()));
        return request.post("/datasets/{id}/images", dataset);
    }

    @Test
    void aBatchOfFiveHundredFilesWithALabelAndSplitEachFitsInOneRequest() {
        List<Path> files = TestImages.pngs("train", "bag", 50);
        var request = uploader();
        for (int i = 0; i < 500; i++) {
            request.multiPart("file", files.get(i % 50).toFile(), "image/png").multiPart("label", "bag")
                    .multiPart("split", "");
        }
        Response response = request.post("/datasets/{id}/images", "upload-big-form");
        response.then().statusCode(201);
        assertThat(response.jsonPath().getInt("accepted")).isEqualTo(50);
        assertThat(response.jsonPath().getInt("duplicates")).isEqualTo(450);
    }

    @Test
    void splitsAreStableAcrossVersionsAndNamedSplitsAreKept() {
        String dataset = "upload-splits";
        List<Path> first = TestImages.pngs("train", "shirt", 30);
        var request = uploader().multiPart("label", "shirt");
        first.forEach(file -> request.multiPart("file", file.toFile(), "image/png"));
        Map<String, String> splitOf = splitsByName(request.post("/datasets/{id}/images", dataset));
        assertThat(splitOf.values()).contains("train");

        List<Path> tests = TestImages.pngs("test", "shirt", 5);
        var second = uploader().multiPart("label", "shirt").multiPart("split", "test");
        tests.forEach(file -> second.multiPart("file", file.toFile(), "image/png"));
        first.forEach(file -> second.multiPart("file", file.toFile(), "image/png"));
        Response response = second.post("/datasets/{id}/images", dataset);
        response.then().statusCode(201);
        Map<String, String> later = splitsByName(response);
        tests.forEach(file -> assertThat(later.get(file.getFileName().toString())).isEqualTo("test"));
        first.forEach(file -> assertThat(later.get(file.getFileName().toString()))
                .as("split of %s never moves", file.getFileName()).isEqualTo(splitOf.get(file.getFileName().toString())));

        ObjectStore store = new ObjectStore(s3.settings());
        String v2 = new String(store.get(BUCKET, dataset + "/manifests/v2.jsonl"), StandardCharsets.UTF_8);
        Map<Split, Integer> counts = new HashMap<>();
        v2.lines().map(line -> EventJson.readDocument(line.getBytes(StandardCharsets.UTF_8), ManifestEntry.class))
                .forEach(entry -> counts.merge(entry.split(), 1, Integer::sum));
        assertThat(counts.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(35);
        assertThat(counts.get(Split.TEST)).isGreaterThanOrEqualTo(5);
    }

    @Test
    void archivesInImageFolderLayoutAreIngested() throws Exception {
        String dataset = "upload-archives";
        Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
        TestImages.pngs("train", "sneaker", 6).forEach(f -> entries.put("sneaker/" + f.getFileName(), TestImages.bytes(f)));
        TestImages.pngs("test", "sneaker", 3).forEach(f -> entries.put("test/sneaker/" + f.getFileName(), TestImages.bytes(f)));
        entries.put("sneaker/notes.txt", "not an image".getBytes());
        entries.put("a/b/c/too-deep.png", TestImages.bytes(TestImages.pngs("train", "bag", 1).get(0)));
        Path zip = Archives.zip(entries);
        Response response = uploader().multiPart("archive", zip.toFile(), "application/zip")
                .post("/datasets/{id}/images", dataset);
        response.then().statusCode(201);
        assertThat(response.jsonPath().getInt("accepted")).isEqualTo(9);
        assertThat(response.jsonPath().getInt("rejected")).isEqualTo(2);
        assertThat(response.jsonPath().getString("files.find { it.name.endsWith('notes.txt') }.reason"))
                .isEqualTo("not a PNG or JPEG image");
        assertThat(response.jsonPath().getString("files.find { it.name.endsWith('too-deep.png') }.reason"))
                .contains("expected <label>/<file>");
        assertThat(response.jsonPath().getList("files.findAll { it.name.contains('test/sneaker') }.split"))
                .containsOnly("test");

        Map<String, byte[]> more = new java.util.LinkedHashMap<>();
        TestImages.pngs("train", "sandal", 4).forEach(f -> more.put("sandal/" + f.getFileName(), TestImages.bytes(f)));
        Response tar = uploader().multiPart("archive", Archives.tarGz(more).toFile(), "application/gzip")
                .post("/datasets/{id}/images", dataset);
        tar.then().statusCode(201);
        assertThat(tar.jsonPath().getInt("version")).isEqualTo(2);
        assertThat(keys(s3, dataset + "/images/")).hasSize(13);
    }

    @Test
    void stagedUploadsBecomeOneVersionWhenSealed() {
        String dataset = "upload-staged";
        List<Path> files = TestImages.pngs("train", "dress", 6);
        for (int i = 0; i < 2; i++) {
            var request = uploader().multiPart("label", "dress").queryParam("commit", "false");
            files.subList(i * 3, i * 3 + 3).forEach(file -> request.multiPart("file", file.toFile(), "image/png"));
            Response staged = request.post("/datasets/{id}/images", dataset);
            staged.then().statusCode(200);
            assertThat(staged.jsonPath().getInt("staged")).isEqualTo(3);
        }
        assertThat(keys(s3, dataset + "/manifests/")).isEmpty();
        assertThat(uploader().get("/datasets/{id}", dataset).jsonPath().getInt("staged")).isEqualTo(6);

        Response sealed = uploader().post("/datasets/{id}/seal", dataset);
        sealed.then().statusCode(201);
        assertThat(sealed.jsonPath().getInt("version")).isEqualTo(1);
        assertThat(sealed.jsonPath().getInt("imageCount")).isEqualTo(6);
        assertThat(keys(s3, dataset + "/manifests/")).containsExactlyInAnyOrder(dataset + "/manifests/v1.json",
                dataset + "/manifests/v1.jsonl");
        List<PipelineEvent> events = DatasetEventsReader.read(kafka.bootstrapServers(), dataset, 2,
                Duration.ofSeconds(10));
        assertThat(events).hasSize(2);
        assertThat(((DatasetVersionCreated) events.get(1)).newTrainImages()
                + ((DatasetVersionCreated) events.get(1)).newImages().getOrDefault(Split.VAL, 0)
                + ((DatasetVersionCreated) events.get(1)).newImages().getOrDefault(Split.TEST, 0)).isEqualTo(6);
        uploader().post("/datasets/{id}/seal", dataset).then().statusCode(200);
    }

    @Test
    void openApiAndMetricsAreServed() {
        uploader().get("/q/openapi").then().statusCode(200);
        assertThat(uploader().get("/q/openapi").asString()).contains("/datasets/{datasetId}/images");
        Path coat = TestImages.pngs("train", "trouser", 1).get(0);
        uploader().multiPart("file", coat.toFile(), "image/png").multiPart("label", "trouser")
                .post("/datasets/{id}/images", "upload-metrics").then().statusCode(201);
        String metrics = uploader().get("/q/metrics").asString();
        assertThat(metrics).contains("ingest_images_total{outcome=\"accepted\",reason=\"none\"}")
                .contains("ingest_bytes_stored_bytes_total").contains("ingest_upload_seconds_count");
    }

    private static Map<String, String> splitsByName(Response response) {
        Map<String, String> splits = new HashMap<>();
        List<Map<String, Object>> files = response.jsonPath().getList("files");
        for (Map<String, Object> file : files) {
            splits.put((String) file.get("name"), (String) file.get("split"));
        }
        return splits;
    }
}
