package io.stagetune.ingest.containers;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.stagetune.common.events.DatasetVersionCreated;
import io.stagetune.common.events.ImagesIngested;
import io.stagetune.common.events.PipelineEvent;
import io.stagetune.common.storage.ObjectStore;
import io.stagetune.ingest.DatasetEventsReader;
import io.stagetune.ingest.TestImages;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.stagetune.ingest.IngestTestSupport.BUCKET;
import static io.stagetune.ingest.IngestTestSupport.uploader;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ingest path against the real MinIO and Apache Kafka images: an upload over REST lands in MinIO and is
 * announced on {@code dataset-events}. Runs with {@code ./mvnw -pl ingest-service -am verify -Pcontainers};
 * disabled (reported as skipped) where Docker is not available.
 */
@Tag("containers")
@Testcontainers(disabledWithoutDocker = true)
@QuarkusTest
@QuarkusTestResource(value = ContainerInfrastructure.class, restrictToAnnotatedClass = true)
class IngestOnContainersTest {

    @ContainerInfrastructure.Inject
    ContainerInfrastructure.Endpoints infrastructure;

    @Test
    void uploadIsStoredInMinioAndAnnouncedOnKafka() {
        String dataset = "containers";
        List<Path> coats = TestImages.pngs("train", "coat", 6);
        var request = uploader().multiPart("label", "coat");
        coats.forEach(file -> request.multiPart("file", file.toFile(), "image/png"));
        Response response = request.post("/datasets/{id}/images", dataset);
        response.then().statusCode(201);

        ObjectStore store = new ObjectStore(infrastructure.objectStore());
        assertThat(store.list(BUCKET, dataset + "/images/")).hasSize(6);
        assertThat(store.exists(BUCKET, dataset + "/manifests/v1.jsonl")).isTrue();

        List<PipelineEvent> events = DatasetEventsReader.read(infrastructure.bootstrapServers(), dataset, 2,
                Duration.ofSeconds(60));
        assertThat(events).hasSize(2);
        assertThat(events.get(0)).isInstanceOf(ImagesIngested.class);
        assertThat(((DatasetVersionCreated) events.get(1)).imageCount()).isEqualTo(6);
    }
}
