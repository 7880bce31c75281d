package io.stagetune.localstack.cli.demo;

import io.stagetune.common.data.FashionMnist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The demo's images: Fashion-MNIST split into source classes 0-4 (to pretrain a base backbone) and target classes 5-9
 * (the new classes the pipeline fine-tunes on, in two batches), written as ImageFolder folders ready for upload:
 * <pre>
 * source/{train,val,test}/&lt;label&gt;/*.png   pretraining data of the base model
 * target-1/{train,val,test}/&lt;label&gt;/*.png first batch of the target classes (test = official test images)
 * target-2/train/&lt;label&gt;/*.png            second batch: more training images of the same classes
 * </pre>
 * Images are taken in file order, so the same sizes always give the same images. Training and validation images
 * come from the official training file, test images from the official test file.
 */
public final class DemoData {

    public static final List<String> SOURCE_CLASSES = FashionMnist.CLASS_NAMES.subList(0, 5);
    public static final List<String> TARGET_CLASSES = FashionMnist.CLASS_NAMES.subList(5, 10);

    /** Images per class for each part; the sample holds 60 training and 20 test images per class. */
    public record Sizes(int source, int firstBatch, int secondBatch, int validation, int test) {

        public static final Sizes FULL = new Sizes(3000, 1000, 2000, 200, 1000);
        public static final Sizes SAMPLE = new Sizes(45, 30, 20, 10, 20);

        /** Why these sizes cannot make a demo, or null when they can. */
        public String invalid() {
            if (source < 1 || firstBatch < 1 || validation < 1 || test < 1 || secondBatch < 0) {
                return "sizes per class must be at least 1 (--second-batch at least 0), got --source-per-class "
                        + source + " --per-class " + firstBatch + " --second-batch " + secondBatch
                        + " --val-per-class " + validation + " --test-per-class " + test;
            }
            return null;
        }

        public int fromTrainingFile(boolean source) {
            return source ? this.source + validation : firstBatch + validation + secondBatch;
        }
    }

    /** Where the images come from, in words, and how to read them. */
    public interface Origin {
        String description();

        /** The whole dataset (else a small sample: smaller default sizes). */
        boolean full();

        /** Calls the sink with (class index, PNG bytes, name) for each image of the subset, in file order. */
        void forEach(FashionMnist.Subset subset, ImageSink sink) throws IOException;
    }

    @FunctionalInterface
    public interface ImageSink {
        /** False stops the iteration (every class has what it needs). */
        boolean accept(int classIndex, String name, byte[] png) throws IOException;
    }

    private DemoData() {
    }

    /** The IDX files of the full Fashion-MNIST in {@code directory}. */
    public static Origin full(Path directory) {
        return new Origin() {
            @Override
            public String description() {
                return "the full Fashion-MNIST from " + directory;
            }

            @Override
            public boolean full() {
                return true;
            }

            @Override
            public void forEach(FashionMnist.Subset subset, ImageSink sink) throws IOException {
                FashionMnist file = FashionMnist.load(directory, subset);
                for (int index = 0; index < file.size(); index++) {
                    FashionMnist.Example example = file.example(index);
                    if (!sink.accept(example.label(), "%s-%05d.png".formatted(subset.filePrefix(), index),
                            example.toPng())) {
                        return;
                    }
                }
            }
        };
    }

    /** A sample laid out like the committed one: {@code train/<label>/*.png} and {@code test/<label>/*.png}. */
    public static Origin sample(Path directory) {
        return new Origin() {
            @Override
            public String description() {
                return "the Fashion-MNIST sample in " + directory + " (the bundled one has 60 training and 20 test"
                        + " images per class; install the Debian package dataset-fashion-mnist or pass --data DIR"
                        + " for the full dataset)";
            }

            @Override
            public boolean full() {
                return false;
            }

            @Override
            public void forEach(FashionMnist.Subset subset, ImageSink sink) throws IOException {
                Path split = directory.resolve(subset == FashionMnist.Subset.TRAIN ? "train" : "test");
                for (int classIndex = 0; classIndex < FashionMnist.CLASS_NAMES.size(); classIndex++) {
                    Path folder = split.resolve(FashionMnist.CLASS_NAMES.get(classIndex));
                    if (!Files.isDirectory(folder)) {
                        continue;
                    }
                    try (Stream<Path> files = Files.list(folder)) {
                        for (Path file : files.sorted().toList()) {
                            if (!sink.accept(classIndex, file.getFileName().toString(), Files.readAllBytes(file))) {
                                return;
                            }
                        }
                    }
                }
            }
        };
    }

    /** Writes the three folders under {@code root} (replacing what was there); returns per-folder image counts. */
    public static Map<String, Integer> write(Origin origin, Sizes sizes, Path root) throws IOException {
        if (Files.exists(root)) {
            try (Stream<Path> old = Files.walk(root)) {
                for (Path path : old.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        Map<String, Integer> counts = new HashMap<>();
        int[] taken = new int[FashionMnist.CLASS_NAMES.size()];
        origin.forEach(FashionMnist.Subset.TRAIN, (classIndex, name, png) -> {
            boolean source = classIndex < SOURCE_CLASSES.size();
            int position = taken[classIndex]++;
            String part = trainingPart(source, position, sizes);
            if (part != null) {
                save(root.resolve(part).resolve(FashionMnist.CLASS_NAMES.get(classIndex)).resolve(name), png, counts,
                        part);
            }
            return !allFull(taken, sizes, true);
        });
        int[] tested = new int[FashionMnist.CLASS_NAMES.size()];
        origin.forEach(FashionMnist.Subset.TEST, (classIndex, name, png) -> {
            if (tested[classIndex]++ < sizes.test()) {
                String part = (classIndex < SOURCE_CLASSES.size() ? "source" : "target-1") + "/test";
                save(root.resolve(part).resolve(FashionMnist.CLASS_NAMES.get(classIndex)).resolve(name), png, counts,
                        part);
            }
            return !allFull(tested, sizes, false);
        });
        return counts;
    }

    /** Which folder the n-th training-file image of a class goes to, or null when none needs it. */
    private static String trainingPart(boolean source, int position, Sizes sizes) {
        if (source) {
            return position < sizes.source() ? "source/train"
                    : position < sizes.source() + sizes.validation() ? "source/val" : null;
        }
        if (position < sizes.firstBatch()) {
            return "target-1/train";
        }
        if (position < sizes.firstBatch() + sizes.validation()) {
            return "target-1/val";
        }
        return position < sizes.fromTrainingFile(false) ? "target-2/train" : null;
    }

    private static boolean allFull(int[] taken, Sizes sizes, boolean training) {
        for (int classIndex = 0; classIndex < taken.length; classIndex++) {
            int needed = training ? sizes.fromTrainingFile(classIndex < SOURCE_CLASSES.size()) : sizes.test();
            if (taken[classIndex] < needed) {
                return false;
            }
        }
        return true;
    }

    private static void save(Path file, byte[] png, Map<String, Integer> counts, String part) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, png);
        counts.merge(part.substring(0, part.indexOf('/')), 1, Integer::sum);
    }
}
