package io.stagetune.ingest;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stagetune.common.Topics;
import io.stagetune.common.dataset.DatasetManifests;
import io.stagetune.common.dataset.DatasetVersion;
import io.stagetune.common.dataset.ManifestEntry;
import io.stagetune.common.events.DatasetVersionCreated;
import io.stagetune.common.events.EventJson;
import io.stagetune.common.events.PipelineEvent;
import io.stagetune.common.events.Split;
import io.stagetune.common.storage.ObjectKeys;
import io.stagetune.common.storage.ObjectStore;
import io.stagetune.ingest.service.BucketImport;
import io.stagetune.localstack.infrastructure.EmbeddedKafka;
import io.stagetune.localstack.infrastructure.EmbeddedS3;
import io.stagetune.persistence.outbox.Outbox;
import io.stagetune.testsupport.InjectKafka;
import io.stagetune.testsupport.InjectS3;
import io.stagetune.testsupport.KafkaTestResource;
import io.stagetune.testsupport.S3TestResource;
import io.stagetune.testsupport.TopicEvents;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.stagetune.ingest.IngestTestSupport.BUCKET;
import static io.stagetune.ingest.IngestTestSupport.uploader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A committed version is announced exactly once it is committed, with its manifest in the bucket first: during a
 * broker outage it waits in the outbox; when the upload could not write its manifest, the relay does before it sends;
 * a dataset an earlier release kept in the bucket alone is taken over, unannounced versions included.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class AnnouncementRecoveryTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @InjectKafka
    EmbeddedKafka kafka;

    @InjectS3
    EmbeddedS3 s3;

    @Inject
    Outbox outbox;

    @Inject
    EntityManager em;

    @Inject
    BucketImport bucketImport;

    @Test
    void aVersionCommittedDuringABrokerOutageIsAnnouncedWhenTheBrokerIsBack() {
        String dataset = "outage";
        ObjectStore store = new ObjectStore(s3.settings());
        awaitNothingPending();
        kafka.stopBroker();
        try {
            upload(dataset, "bag", 3).then().statusCode(201);
            assertThat(store.exists(BUCKET, dataset + "/manifests/v1.json")).isTrue();
            await().atMost(WAIT).until(() -> outbox.byKey(dataset).stream().anyMatch(event -> event.attempts() > 0));
            assertThat(outbox.byKey(dataset)).hasSize(2).allSatisfy(event -> assertThat(event.sentAt()).isNull());
        } finally {
            kafka.restartBroker();
        }
        // As an idempotent consumer sees them: a send in flight while the broker came back may arrive twice.
        List<PipelineEvent> events = TopicEvents.readDistinct(kafka.bootstrapServers(), Topics.DATASET_EVENTS,
                dataset, 2, WAIT);
        assertThat(events).extracting(event -> event.getClass().getSimpleName())
                .containsExactly("ImagesIngested", "DatasetVersionCreated");
        assertThat(((DatasetVersionCreated) events.get(1)).imageCount()).isEqualTo(3);
        await().atMost(WAIT).until(() -> outbox.byKey(dataset).stream().allMatch(event -> event.sentAt() != null));
    }

    @Test
    void aManifestTheUploadCouldNotWriteIsWrittenBeforeTheVersionIsAnnounced() {
        String dataset = "manifest-later";
        ObjectStore store = new ObjectStore(s3.settings());
        awaitNothingPending();
        kafka.stopBroker();
        try {
            upload(dataset, "pullover", 2).then().statusCode(201);
            // What a store failure right after the commit (or a crash) leaves: a version without its objects.
            store.delete(BUCKET, ObjectKeys.versionSummary(dataset, 1));
            store.delete(BUCKET, ObjectKeys.manifest(dataset, 1));
            int updated = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                    "update dataset_version set manifest_written = false where dataset_id = :dataset")
                    .setParameter("dataset", dataset).executeUpdate());
            assertThat(updated).isEqualTo(1);
            // The relay's next attempt writes them before it tries to send.
            await().atMost(WAIT).until(() -> store.exists(BUCKET, ObjectKeys.versionSummary(dataset, 1)));
            List<ManifestEntry> manifest = DatasetManifests.parse(store.get(BUCKET, ObjectKeys.manifest(dataset, 1)));
            assertThat(manifest).hasSize(2).extracting(ManifestEntry::label).containsOnly("pullover");
        } finally {
            kafka.restartBroker();
        }
        List<PipelineEvent> events = TopicEvents.readDistinct(kafka.bootstrapServers(), Topics.DATASET_EVENTS,
                dataset, 2, WAIT);
        assertThat(((DatasetVersionCreated) events.get(1)).manifestKey()).isEqualTo(ObjectKeys.manifest(dataset, 1));
    }

    @Test
    void aVersionsManifestIsThePreviousOneAndItsImagesAlsoWhenThePreviousOneIsGoneFromTheBucket() {
        String dataset = "manifest-chain";
        ObjectStore store = new ObjectStore(s3.settings());
        upload(dataset, "bag", 2).then().statusCode(201);
        upload(dataset, "coat", 2).then().statusCode(201);
        byte[] v1 = store.get(BUCKET, ObjectKeys.manifest(dataset, 1));
        byte[] v2 = store.get(BUCKET, ObjectKeys.manifest(dataset, 2));
        assertThat(Arrays.copyOf(v2, v1.length)).as("v2 begins with v1's bytes").isEqualTo(v1);
        assertThat(DatasetManifests.parse(v2)).extracting(ManifestEntry::label)
                .containsExactly("bag", "bag", "coat", "coat");

        // Without v2's manifest in the bucket, v3's comes whole from the database.
        store.delete(BUCKET, ObjectKeys.manifest(dataset, 2));
        upload(dataset, "shirt", 1).then().statusCode(201);
        List<ManifestEntry> v3 = DatasetManifests.parse(store.get(BUCKET, ObjectKeys.manifest(dataset, 3)));
        assertThat(v3).extracting(ManifestEntry::label).containsExactly("bag", "bag", "coat", "coat", "shirt");
        assertThat(v3.subList(0, 4)).isEqualTo(DatasetManifests.parse(v2));
    }

    @Test
    void aDatasetKeptInTheBucketByAnEarlierReleaseIsTakenOverAndItsUnannouncedVersionAnnounced() {
        String dataset = "legacy";
        ObjectStore store = new ObjectStore(s3.settings());
        List<ManifestEntry> v1 = entries(dataset, "coat", 0, 2);
        List<ManifestEntry> v2 = new ArrayList<>(v1);
        v2.addAll(entries(dataset, "coat", 2, 1));
        writeLegacyVersion(store, dataset, 1, v1, List.of("coat"));
        store.put(BUCKET, ObjectKeys.announcedMarker(dataset, 1), new byte[0], "text/plain");
        writeLegacyVersion(store, dataset, 2, v2, List.of());
        List<ManifestEntry> staged = entries(dataset, "coat", 3, 1);
        store.put(BUCKET, dataset + "/staged/" + UUID.randomUUID() + ".jsonl",
                DatasetManifests.format(staged), "application/x-ndjson");

        assertThat(bucketImport.importAll()).isEqualTo(1);
        assertThat(bucketImport.importAll()).as("a dataset the database holds is left alone").isZero();

        Response view = uploader().get("/datasets/{id}", dataset);
        assertThat(view.jsonPath().getInt("latestVersion")).isEqualTo(2);
        assertThat(view.jsonPath().getInt("imageCount")).isEqualTo(3);
        assertThat(view.jsonPath().getInt("staged")).isEqualTo(1);
        List<PipelineEvent> events = TopicEvents.readDistinct(kafka.bootstrapServers(), Topics.DATASET_EVENTS,
                dataset, 2, WAIT);
        assertThat(events).as("v1 was announced by the earlier release, v2 was not")
                .allSatisfy(event -> assertThat(event.toString()).contains("version=2"));

        Response sealed = uploader().post("/datasets/{id}/seal", dataset);
        sealed.then().statusCode(201);
        assertThat(sealed.jsonPath().getInt("version")).isEqualTo(3);
        List<ManifestEntry> v3 = DatasetManifests.parse(store.get(BUCKET, ObjectKeys.manifest(dataset, 3)));
        List<ManifestEntry> expected = new ArrayList<>(v2);
        expected.addAll(staged);
        assertThat(v3).as("the earlier versions' images in their order, then the staged one").isEqualTo(expected);
    }

    /**
     * Waits until the events of earlier tests are sent: the relay sends oldest first and stops at the first failure,
     * so with the broker down an earlier test's pending event would stand before this test's dataset.
     */
    private void awaitNothingPending() {
        await().atMost(WAIT).until(() -> outbox.pendingCount() == 0);
    }

    private static Response upload(String dataset, String label, int count) {
        var request = uploader().multiPart("label", label);
        TestImages.pngs("train", label, count).forEach(file -> request.multiPart("file", file.toFile(), "image/png"));
        return request.post("/datasets/{id}/images", dataset);
    }

    private static List<ManifestEntry> entries(String dataset, String label, int from, int count) {
        return TestImages.pngs("train", label, from + count).subList(from, from + count).stream().map(file -> {
            String sha256 = TestImages.sha256(TestImages.bytes(file));
            return new ManifestEntry(ObjectKeys.image(dataset, sha256, "png"), sha256, label, Split.TRAIN, 28, 28);
        }).toList();
    }

    private static void writeLegacyVersion(ObjectStore store, String dataset, int version,
                                           List<ManifestEntry> entries, List<String> newLabels) {
        DatasetVersion summary = new DatasetVersion(dataset, version, version == 1 ? null : version - 1,
                Instant.parse("2026-11-01T00:00:00Z"), ObjectKeys.manifest(dataset, version), entries.size(),
                List.of("coat"), Map.of("coat", Map.of(Split.TRAIN, entries.size())), Map.of(Split.TRAIN, 1),
                newLabels, new DatasetVersion.Commit(UUID.randomUUID().toString(), 1, 0, 0,
                Map.of("coat", 1), Map.of(Split.TRAIN, 1)));
        store.put(BUCKET, summary.manifestKey(), DatasetManifests.format(entries), "application/x-ndjson");
        store.put(BUCKET, ObjectKeys.versionSummary(dataset, version), EventJson.writeBytes(summary),
                "application/json");
    }
}
