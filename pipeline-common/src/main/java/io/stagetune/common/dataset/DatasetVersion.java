package io.stagetune.common.dataset;

import io.stagetune.common.events.Split;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The summary of an immutable dataset version ({@code <datasetId>/manifests/v<N>.json}). It is written after
 * the manifest, so its presence means the version is complete, and it holds everything needed to (re)publish
 * the version's events.
 *
 * @param counts    images per label and split in the whole version
 * @param newImages images per split added over the previous version
 * @param newLabels labels first seen in this version
 * @param upload    the upload (or seal) that committed the version
 */
public record DatasetVersion(
        String datasetId,
        int version,
        Integer previousVersion,
        Instant createdAt,
        String manifestKey,
        int imageCount,
        List<String> labels,
        Map<String, Map<Split, Integer>> counts,
        Map<Split, Integer> newImages,
        List<String> newLabels,
        Commit upload) {

    /** What the committing request reported: the numbers of {@code ImagesIngested}. */
    public record Commit(String uploadId, int accepted, int duplicates, int rejected,
                         Map<String, Integer> acceptedPerLabel, Map<Split, Integer> acceptedPerSplit) {
    }
}
