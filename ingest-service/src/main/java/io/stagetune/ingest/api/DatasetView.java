package io.stagetune.ingest.api;

import io.stagetune.common.events.Split;
import io.stagetune.common.dataset.DatasetVersion;

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
        public static Summary of(DatasetView view) {
            return new Summary(view.datasetId(), view.latestVersion(), view.imageCount(), view.labels(),
                    view.staged());
        }
    }

    /** @param versions every version, oldest first */
    public static DatasetView of(String datasetId, List<DatasetVersion> versions, long staged) {
        DatasetVersion latest = versions.isEmpty() ? null : versions.get(versions.size() - 1);
        if (latest == null) {
            return new DatasetView(datasetId, 0, 0, List.of(), Map.of(), (int) staged, List.of());
        }
        return new DatasetView(datasetId, latest.version(), latest.imageCount(), latest.labels(), latest.counts(),
                (int) staged,
                versions.stream().map(v -> new VersionLine(v.version(), v.createdAt(), v.imageCount(), v.newImages(),
                        v.newLabels())).toList());
    }
}
