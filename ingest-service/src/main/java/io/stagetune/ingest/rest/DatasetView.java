package io.stagetune.ingest.rest;

import io.stagetune.common.events.Split;
import io.stagetune.common.dataset.DatasetVersion;
import io.stagetune.ingest.service.Dataset;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A dataset as {@code GET /datasets/{id}} shows it. */
public record DatasetView(String datasetId, int latestVersion, int imageCount, List<String> labels,
                          Map<String, Map<Split, Integer>> counts, int staged, List<VersionLine> versions) {

    public record VersionLine(int version, Instant createdAt, int imageCount, Map<Split, Integer> newImages,
                              List<String> newLabels) {
    }

    /** One line of {@code GET /datasets}. */
    public record Summary(String datasetId, int latestVersion, int imageCount, List<String> labels, int staged) {
        static Summary of(Dataset dataset) {
            DatasetView view = DatasetView.of(dataset);
            return new Summary(view.datasetId(), view.latestVersion(), view.imageCount(), view.labels(),
                    view.staged());
        }
    }

    static DatasetView of(Dataset dataset) {
        List<DatasetVersion> versions = dataset.versions();
        DatasetVersion latest = versions.isEmpty() ? null : versions.get(versions.size() - 1);
        return new DatasetView(dataset.id(), dataset.latestVersion(), latest == null ? 0 : latest.imageCount(),
                latest == null ? List.of() : latest.labels(), latest == null ? Map.of() : latest.counts(),
                dataset.stagedCount(),
                versions.stream().map(v -> new VersionLine(v.version(), v.createdAt(), v.imageCount(), v.newImages(),
                        v.newLabels())).toList());
    }
}
