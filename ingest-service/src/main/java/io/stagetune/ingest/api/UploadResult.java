package io.stagetune.ingest.api;

import java.util.List;

/**
 * The response to an upload: one outcome per file, and the dataset version it created (null when nothing new
 * was committed, or when the upload was only staged).
 */
public record UploadResult(String datasetId, String uploadId, Integer version, boolean committed, int accepted,
                           int duplicates, int rejected, int staged, List<FileOutcome> files) {
}
