package io.stagetune.evaluator.evaluation;

import java.nio.file.Path;

/** A test image on local disk and its true label. */
public record LabelledImage(Path file, String label) {
}
