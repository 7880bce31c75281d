package io.stagetune.ingest.messaging;

import io.stagetune.common.dataset.DatasetVersion;
import io.stagetune.common.events.DatasetVersionCreated;
import io.stagetune.common.events.ImagesIngested;
import io.stagetune.common.events.PipelineEvent;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * The two events that announce a dataset version on {@code dataset-events}, keyed by dataset: what the committing
 * upload brought ({@code ImagesIngested}), then the version itself ({@code DatasetVersionCreated}). Event ids derive
 * from dataset, version and type, so a consumer that sees an event twice (at-least-once delivery) can tell.
 */
public final class VersionEvents {

    private VersionEvents() {
    }

    public static List<PipelineEvent> of(DatasetVersion version) {
        DatasetVersion.Commit upload = version.upload();
        ImagesIngested ingested = new ImagesIngested(eventId(version, "ImagesIngested"),
                PipelineEvent.SCHEMA_VERSION, version.createdAt(), version.datasetId(), upload.uploadId(),
                version.version(), upload.accepted(), upload.duplicates(), upload.rejected(),
                upload.acceptedPerLabel(), upload.acceptedPerSplit());
        DatasetVersionCreated created = new DatasetVersionCreated(eventId(version, "DatasetVersionCreated"),
                PipelineEvent.SCHEMA_VERSION, version.createdAt(), version.datasetId(), version.version(),
                version.previousVersion(), version.manifestKey(), version.labels(), version.counts(),
                version.imageCount(), version.newImages(), version.newLabels());
        return List.of(ingested, created);
    }

    private static UUID eventId(DatasetVersion version, String type) {
        return UUID.nameUUIDFromBytes((version.datasetId() + "/v" + version.version() + "/" + type)
                .getBytes(StandardCharsets.UTF_8));
    }
}
