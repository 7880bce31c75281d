package io.stagetune.ingest.repository;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stagetune.common.dataset.ManifestEntry;
import io.stagetune.ingest.TestImages;
import io.stagetune.ingest.service.UploadService;
import io.stagetune.testsupport.KafkaTestResource;
import io.stagetune.testsupport.S3TestResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static io.stagetune.ingest.IngestTestSupport.uploader;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which datasets the periodic seal of reviewed labels picks: those holding a staged label from production older than
 * the wait, and no others (staged uploads without provenance, sealed labels, younger labels).
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class StagedLabelsTest {

    private static final ManifestEntry.Provenance FROM_PRODUCTION = new ManifestEntry.Provenance("production",
            "prediction-1", "item-1", "staged-model", 1, "reviewer", "audit");

    @Inject
    DatasetRepository datasets;

    @Inject
    UploadService uploads;

    @Test
    void onlyDatasetsWithStagedLabelsFromProductionOlderThanTheWaitAreDue() {
        List<Path> coats = TestImages.pngs("train", "coat", 3);
        Instant beforeLabels = Instant.now();
        uploads.stageLabelled("staged-labels-a", "a", TestImages.bytes(coats.get(0)), "coat", null, FROM_PRODUCTION);
        uploads.stageLabelled("staged-labels-b", "b", TestImages.bytes(coats.get(1)), "coat", null, FROM_PRODUCTION);
        uploader().multiPart("file", coats.get(2).toFile(), "image/png").multiPart("label", "coat")
                .queryParam("commit", false).post("/datasets/{id}/images", "staged-plain").then().statusCode(200);
        Instant afterLabels = Instant.now().plusMillis(1);

        assertThat(datasets.datasetsWithLabelsStagedBefore(afterLabels))
                .contains("staged-labels-a", "staged-labels-b").doesNotContain("staged-plain");
        assertThat(datasets.datasetsWithLabelsStagedBefore(beforeLabels))
                .doesNotContain("staged-labels-a", "staged-labels-b", "staged-plain");

        assertThat(uploads.seal("staged-labels-a")).isPresent();
        assertThat(datasets.datasetsWithLabelsStagedBefore(afterLabels))
                .contains("staged-labels-b").doesNotContain("staged-labels-a", "staged-plain");
    }
}
