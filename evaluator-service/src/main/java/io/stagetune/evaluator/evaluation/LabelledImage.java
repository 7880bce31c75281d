package io.stagetune.evaluator.evaluation;

import java.nio.file.Path;

/**
 * A test image and its true label: its file on local disk, and its content key (sha256) when it comes from a
 * dataset's manifest. With a key, the file may be null when the image is decoded already
 * ({@link io.stagetune.common.image.DecodedImageFiles}): its original is then not needed.
 */
public record LabelledImage(Path file, String label, String key) {

    /** A local image without a content key: decoded from its file on every evaluation. */
    public LabelledImage(Path file, String label) {
        this(file, label, null);
    }
}
