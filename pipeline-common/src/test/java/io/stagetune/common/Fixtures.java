package io.stagetune.common;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's committed test fixtures, found from the module's or the repository's directory. */
public final class Fixtures {

    private Fixtures() {
    }

    /** {@code fixtures/fashion-mnist-sample}, written by scripts/make-fashion-mnist-sample.py. */
    public static Path fashionMnistSample() {
        return find("fixtures/fashion-mnist-sample");
    }

    /** {@code fixtures/preprocessing-reference}, written by scripts/make-preprocessing-reference.py. */
    public static Path preprocessingReference() {
        return find("fixtures/preprocessing-reference");
    }

    /** The sample file of the first train example, an ankle boot. */
    public static Path firstTrainImage() {
        return fashionMnistSample().resolve("train/ankle-boot/train-00000.png");
    }

    private static Path find(String folder) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(folder);
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(folder + " not found above " + Path.of("").toAbsolutePath());
    }
}
