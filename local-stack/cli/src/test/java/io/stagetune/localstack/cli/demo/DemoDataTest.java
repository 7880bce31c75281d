package io.stagetune.localstack.cli.demo;

import io.stagetune.common.data.FashionMnist;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static io.stagetune.localstack.TestMachine.repositoryRoot;
import static org.assertj.core.api.Assertions.assertThat;

/** The demo's folders: source and target classes apart, disjoint parts, test images from the test file only. */
class DemoDataTest {

    @TempDir
    Path root;

    @Test
    void splitsTheSampleIntoSourceAndTwoTargetBatchesWithoutSharingAnImage() throws IOException {
        DemoData.Sizes sizes = new DemoData.Sizes(40, 25, 20, 10, 15);
        Map<String, Integer> counts = DemoData.write(
                DemoData.sample(repositoryRoot().resolve("fixtures/fashion-mnist-sample")), sizes, root);

        assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of(
                "source", 5 * (40 + 10 + 15), "target-1", 5 * (25 + 10 + 15), "target-2", 5 * 20));
        assertThat(labels(root.resolve("source/train"))).containsExactlyInAnyOrderElementsOf(DemoData.SOURCE_CLASSES);
        assertThat(labels(root.resolve("target-1/train"))).containsExactlyInAnyOrderElementsOf(DemoData.TARGET_CLASSES);
        assertThat(labels(root.resolve("target-2/train"))).containsExactlyInAnyOrderElementsOf(DemoData.TARGET_CLASSES);
        assertThat(Files.list(root.resolve("target-1/test/bag")).toList()).hasSize(15)
                .allSatisfy(file -> assertThat(file.getFileName().toString()).startsWith("t10k-"));
        assertThat(Files.list(root.resolve("target-1/val/bag")).toList()).hasSize(10)
                .allSatisfy(file -> assertThat(file.getFileName().toString()).startsWith("train-"));

        Set<String> seen = new HashSet<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String image = file.getParent().getFileName() + "/" + file.getFileName();
                assertThat(seen.add(image)).as(image + " is in one part only").isTrue();
            }
        }
    }

    @Test
    void theBundledSubsetHoldsWhatTheDemoTakesFromIt() throws IOException {
        Path directory = repositoryRoot().resolve(DemoData.BUNDLED);
        DemoData.Origin bundled = DemoData.idx(directory);
        assertThat(bundled.defaults()).isEqualTo(DemoData.Sizes.BUNDLED);
        assertThat(bundled.description()).contains("5000 training and 1000 test images");
        int[] training = DemoData.perClass(FashionMnist.load(directory, FashionMnist.Subset.TRAIN));
        int[] test = DemoData.perClass(FashionMnist.load(directory, FashionMnist.Subset.TEST));
        assertThat(DemoData.Sizes.BUNDLED.fitIn(training, test)).as("every part of every class filled").isTrue();
        assertThat(DemoData.Sizes.BUNDLED.test() * DemoData.TARGET_CLASSES.size()).isGreaterThanOrEqualTo(500);

        Map<String, Integer> counts = DemoData.write(bundled, new DemoData.Sizes(3, 2, 1, 1, 2), root);

        assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of(
                "source", 5 * (3 + 1 + 2), "target-1", 5 * (2 + 1 + 2), "target-2", 5));
        try (Stream<Path> bags = Files.list(root.resolve("target-1/test/bag"))) {
            BufferedImage bag = ImageIO.read(bags.sorted().findFirst().orElseThrow().toFile());
            assertThat(bag.getWidth()).isEqualTo(FashionMnist.IMAGE_SIZE);
            assertThat(bag.getHeight()).isEqualTo(FashionMnist.IMAGE_SIZE);
        }
    }

    @Test
    void trafficForTheLoopIsTargetClassImagesThatNoBatchTook() throws IOException {
        DemoData.Origin sample = DemoData.sample(repositoryRoot().resolve("fixtures/fashion-mnist-sample"));
        DemoData.Sizes sizes = new DemoData.Sizes(40, 25, 10, 10, 15);
        DemoData.write(sample, sizes, root);

        Map<String, Integer> traffic = DemoData.writeTraffic(sample, sizes, 10, root);

        assertThat(traffic).containsOnlyKeys(DemoData.TARGET_CLASSES).allSatisfy((label, count) ->
                assertThat(count).isEqualTo(10));
        assertThat(labels(root.resolve("traffic"))).containsExactlyInAnyOrderElementsOf(DemoData.TARGET_CLASSES);
        Set<String> taken = new HashSet<>();
        try (Stream<Path> files = Files.walk(root.resolve("target-1")); Stream<Path> more = Files.walk(
                root.resolve("target-2"))) {
            Stream.concat(files, more).filter(Files::isRegularFile)
                    .forEach(file -> taken.add(file.getParent().getFileName() + "/" + file.getFileName()));
        }
        try (Stream<Path> files = Files.walk(root.resolve("traffic"))) {
            assertThat(files.filter(Files::isRegularFile).toList()).hasSize(50).allSatisfy(file ->
                    assertThat(taken).doesNotContain(file.getParent().getFileName() + "/" + file.getFileName()));
        }
        // 60 training images per class in the sample: 45 taken, 15 left for traffic however many are asked
        assertThat(DemoData.writeTraffic(sample, sizes, 100, root.resolve("more")).values()).containsOnly(15);
    }

    @Test
    void theBundledSubsetLeavesTheLoopItsTrafficWhenTheSecondBatchIsSmaller() throws IOException {
        int[] training = DemoData.perClass(FashionMnist.load(repositoryRoot().resolve(DemoData.BUNDLED),
                FashionMnist.Subset.TRAIN));
        // demo --loop on the bundled subset: the second batch gives 100 of its 150 images per class to the traffic
        DemoData.Sizes loop = new DemoData.Sizes(400, 350, 50, 50, 100);

        for (int classIndex = DemoData.SOURCE_CLASSES.size(); classIndex < training.length; classIndex++) {
            assertThat(training[classIndex] - loop.fromTrainingFile(false)).isEqualTo(100);
            assertThat(training[classIndex]).as("the full batches take every target-class image")
                    .isEqualTo(DemoData.Sizes.BUNDLED.fromTrainingFile(false));
        }
    }

    @Test
    void rewritingReplacesWhatWasThere() throws IOException {
        Path sample = repositoryRoot().resolve("fixtures/fashion-mnist-sample");
        DemoData.write(DemoData.sample(sample), new DemoData.Sizes(40, 25, 20, 10, 15), root);
        Map<String, Integer> counts = DemoData.write(DemoData.sample(sample),
                new DemoData.Sizes(2, 2, 0, 1, 1), root);

        assertThat(counts).doesNotContainKey("target-2");
        assertThat(Files.exists(root.resolve("target-2"))).isFalse();
        try (Stream<Path> files = Files.walk(root)) {
            assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(5 * (2 + 1 + 1) + 5 * (2 + 1 + 1));
        }
    }

    @Test
    void sizesBelowOneAreRefusedWithTheOptionsNamed() {
        assertThat(new DemoData.Sizes(1, 1, 0, 1, 1).invalid()).isNull();
        assertThat(new DemoData.Sizes(0, 1, 0, 1, 1).invalid()).contains("--source-per-class 0");
        assertThat(new DemoData.Sizes(1, 1, -1, 1, 1).invalid()).contains("--second-batch -1");
    }

    private static List<String> labels(Path folder) throws IOException {
        try (Stream<Path> children = Files.list(folder)) {
            return children.map(child -> child.getFileName().toString()).toList();
        }
    }
}
