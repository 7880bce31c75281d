package io.stagetune.ingest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.stagetune.common.Topics;
import io.stagetune.localstack.infrastructure.EmbeddedKafka;
import io.stagetune.localstack.infrastructure.EmbeddedS3;
import io.stagetune.testsupport.InjectKafka;
import io.stagetune.testsupport.InjectS3;
import io.stagetune.testsupport.KafkaTestResource;
import io.stagetune.testsupport.S3TestResource;
import io.stagetune.testsupport.TopicEvents;
import io.stagetune.common.events.DatasetVersionCreated;
import io.stagetune.common.events.PipelineEvent;
import io.stagetune.common.storage.ObjectStore;
import io.stagetune.ingest.service.VersionAnnouncer;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.stagetune.ingest.IngestTestSupport.BUCKET;
import static io.stagetune.ingest.IngestTestSupport.uploader;
import static org.assertj.core.api.Assertions.assertThat;

/** A version is never lost when its events cannot be sent: not during a broker outage, not across a restart. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class AnnouncementRecoveryTest {

    @InjectKafka
    EmbeddedKafka kafka;

    @InjectS3
    EmbeddedS3 s3;

    @Inject
    VersionAnnouncer announcer;

    @Test
    void versionStoredDuringABrokerOutageIsAnnouncedWhenTheBrokerIsBack() throws Exception {
        String dataset = "outage";
        ObjectStore store = new ObjectStore(s3.settings());
        kafka.stopBroker();
        Response response;
        try {
            var request = uploader().multiPart("label", "bag");
            TestImages.pngs("train", "bag", 3).forEach(file -> request.multiPart("file", file.toFile(), "image/png"));
            response = request.post("/datasets/{id}/images", dataset);
            response.then().statusCode(201);
            assertThat(store.exists(BUCKET, dataset + "/manifests/v1.json")).isTrue();
            assertThat(store.exists(BUCKET, dataset + "/announced/v1")).isFalse();
            long failedBy = System.currentTimeMillis() + 20_000;
            while (announcer.pendingCount() == 0 && System.currentTimeMillis() < failedBy) {
                Thread.sleep(100);
            }
            assertThat(announcer.pendingCount()).as("the unacknowledged version waits for a retry").isEqualTo(1);
            assertThat(store.exists(BUCKET, dataset + "/announced/v1")).isFalse();
        } finally {
            kafka.restartBroker();
        }
        // As an idempotent consumer sees them: a send in flight while the broker came back may arrive twice.
        List<PipelineEvent> events = TopicEvents.readDistinct(kafka.bootstrapServers(), Topics.DATASET_EVENTS, dataset,
                2, Duration.ofSeconds(60));
        assertThat(events).extracting(event -> event.getClass().getSimpleName())
                .containsExactly("ImagesIngested", "DatasetVersionCreated");
        assertThat(((DatasetVersionCreated) events.get(1)).imageCount()).isEqualTo(3);
        long deadline = System.currentTimeMillis() + 10_000;
        while (!store.exists(BUCKET, dataset + "/announced/v1") && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertThat(store.exists(BUCKET, dataset + "/announced/v1")).isTrue();
    }

    @Test
    void versionsWithoutAnAnnouncedMarkerAreRepublishedAfterARestart() throws Exception {
        String dataset = "crashed-before-send";
        Path file = TestImages.pngs("train", "pullover", 1).get(0);
        uploader().multiPart("file", file.toFile(), "image/png").multiPart("label", "pullover")
                .post("/datasets/{id}/images", dataset).then().statusCode(201);
        List<PipelineEvent> sent = DatasetEventsReader.read(kafka.bootstrapServers(), dataset, 2,
                Duration.ofSeconds(20));
        assertThat(sent).hasSize(2);

        // What a crash between writing the version and sending its events leaves: no marker.
        ObjectStore store = new ObjectStore(s3.settings());
        store.delete(BUCKET, dataset + "/announced/v1");
        announcer.recover();

        List<PipelineEvent> all = DatasetEventsReader.read(kafka.bootstrapServers(), dataset, 4,
                Duration.ofSeconds(30));
        assertThat(all).hasSize(4);
        assertThat(all.subList(2, 4)).extracting(PipelineEvent::eventId)
                .as("a republished event keeps its id, so consumers can tell it is the same")
                .containsExactlyElementsOf(sent.stream().map(PipelineEvent::eventId).toList());
        assertThat(store.exists(BUCKET, dataset + "/announced/v1")).isTrue();
    }
}
