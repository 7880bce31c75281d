package io.stagetune.ingest.service;

import java.nio.file.Path;
import java.util.List;

/**
 * An upload as the REST layer received it: loose images with their labels (one per image, or one for all) and
 * optional splits (likewise), plus archives in ImageFolder layout.
 *
 * @param commit whether the upload creates a dataset version now, or only stages its images for a later one
 */
public record UploadRequest(List<IncomingFile> images, List<String> labels, List<String> splits,
                            List<IncomingFile> archives, boolean commit) {

    public UploadRequest {
        images = images == null ? List.of() : List.copyOf(images);
        labels = labels == null ? List.of() : List.copyOf(labels);
        splits = splits == null ? List.of() : List.copyOf(splits);
        archives = archives == null ? List.of() : List.copyOf(archives);
    }

    /** A received file, already on local disk. */
    public record IncomingFile(String name, Path path, long size) {
    }
}
