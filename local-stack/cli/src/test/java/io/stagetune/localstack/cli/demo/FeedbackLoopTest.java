package io.stagetune.localstack.cli.demo;

import io.stagetune.common.image.ContentHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The loop's traffic order and its known truth; the loop against a stack runs in the demo. */
class FeedbackLoopTest {

    @TempDir
    Path root;

    private Path image(String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    @Test
    void theClassesTakeTurnsSoThatEachHalfOfTheTrafficHoldsEveryClassAlike() throws IOException {
        Path bag1 = image("traffic/bag/b1.png", "b1");
        Path bag2 = image("traffic/bag/b2.png", "b2");
        Path bag3 = image("traffic/bag/b3.png", "b3");
        Path shirt1 = image("traffic/shirt/s1.png", "s1");
        Path shirt2 = image("traffic/shirt/s2.png", "s2");

        assertThat(FeedbackLoop.interleaved(root.resolve("traffic")))
                .containsExactly(bag1, shirt1, bag2, shirt2, bag3);
    }

    @Test
    void knowsEachImagesClassByTheSha256OfItsBytesInEveryFolderGiven() throws IOException {
        image("traffic/bag/b1.png", "bag bytes");
        image("target-1/test/shirt/t1.png", "shirt bytes");
        image("target-1/test/shirt/notes.txt", "not an image");

        assertThat(FeedbackLoop.truth(root.resolve("traffic"), root.resolve("target-1"), root.resolve("missing")))
                .containsOnlyKeys(List.of(sha("bag bytes"), sha("shirt bytes")))
                .containsEntry(sha("bag bytes"), "bag").containsEntry(sha("shirt bytes"), "shirt");
    }

    private static String sha(String content) {
        return ContentHash.sha256(content.getBytes(StandardCharsets.UTF_8));
    }
}
