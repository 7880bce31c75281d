package io.stagetune.localstack.cli.demo;

import io.stagetune.common.data.FashionMnist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 * traffic/&lt;label&gt;/*.png                   (demo --loop) target-class images no batch took: production traffic
 * </pre>
 * Images are taken in file order, so the same sizes always give the same images. Training and validation images
 * come from the official training file, test images from the official test file.
 */
public final class DemoData {

    public static final List<String> SOURCE_CLASSES = FashionMnist.CLASS_NAMES.subList(0, 5);
    public static final List<String> TARGET_CLASSES = FashionMnist.CLASS_NAMES.subList(5, 10);

    /** The bundled subset for the demo, written by scripts/make-fashion-mnist-demo.py. */
    public static final String BUNDLED = "fixtures/fashion-mnist-demo";

    /** Images per class for each part. */
    public record Sizes(int source, int firstBatch, int secondBatch, int validation, int test) {

        public static final Sizes FULL = new Sizes(3000, 1000, 2000, 200, 1000);
        /** What the bundled subset holds: 450 training images per source class, 550 per target class, 100 test. */
        public static final Sizes BUNDLED = new Sizes(400, 350, 150, 50, 100);
        /** For the PNG sample of the tests (60 training and 20 test images per class). */
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

        /** Whether files holding these many training and test images of each class have all that is needed. */
        public boolean fitIn(int[] training, int[] test) {
            for (int classIndex = 0; classIndex < training.length; classIndex++) {
                if (training[classIndex] < fromTrainingFile(classIndex < SOURCE_CLASSES.size())
                        || test[classIndex] < this.test) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Where the images come from, in words, and how to read them. */
    public interface Origin {
        String description() throws IOException;

        /** The sizes the demo takes when no option sets them. */
        Sizes defaults() throws IOException;

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

    /**
     * Fashion-MNIST's IDX files in {@code directory}: the full dataset (the demo's full sizes) or a subset of it in
     * the same format, such as the bundled one (its sizes when the files hold too few images for the full ones).
     */
    public static Origin idx(Path directory) {
        return new Origin() {
            private final Map<FashionMnist.Subset, FashionMnist> files = new EnumMap<>(FashionMnist.Subset.class);

            @Override
            public String description() throws IOException {
                return defaults() == Sizes.FULL ? "the full Fashion-MNIST from " + directory
                        : "the Fashion-MNIST subset in " + directory + " (" + file(FashionMnist.Subset.TRAIN).size()
                        + " training and " + file(FashionMnist.Subset.TEST).size() + " test images; install the"
                        + " Debian package dataset-fashion-mnist or pass --data DIR for the full dataset)";
            }

            @Override
            public Sizes defaults() throws IOException {
                int[] training = perClass(file(FashionMnist.Subset.TRAIN));
                int[] test = perClass(file(FashionMnist.Subset.TEST));
                return Sizes.FULL.fitIn(training, test) ? Sizes.FULL : Sizes.BUNDLED;
            }

            @Override
            public void forEach(FashionMnist.Subset subset, ImageSink sink) throws IOException {
                FashionMnist file = file(subset);
                for (int index = 0; index < file.size(); index++) {
                    FashionMnist.Example example = file.example(index);
                    if (!sink.accept(example.label(), "%s-%05d.png".formatted(subset.filePrefix(), index),
                            example.toPng())) {
                        return;
                    }
                }
            }

            private FashionMnist file(FashionMnist.Subset subset) throws IOException {
                FashionMnist file = files.get(subset);
                if (file == null) {
                    file = FashionMnist.load(directory, subset);
                    files.put(subset, file);
                }
                return file;
            }
        };
    }

    /** How many examples of each class {@code file} holds. */
    static int[] perClass(FashionMnist file) {
        int[] counts = new int[FashionMnist.CLASS_NAMES.size()];
        for (int index = 0; index < file.size(); index++) {
            counts[file.label(index)]++;
        }
        return counts;
    }

    /**
     * Images laid out like the tests' PNG sample (fixtures/fashion-mnist-sample): {@code train/<label>/*.png} and
     * {@code test/<label>/*.png}.
     */
    public static Origin sample(Path directory) {
        return new Origin() {
            @Override
            public String description() {
                return "the Fashion-MNIST images in " + directory;
            }

            @Override
            public Sizes defaults() {
                return Sizes.SAMPLE;
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

    /**
     * Writes {@code traffic/<label>/*.png} under {@code root}: up to {@code perClass} images of each target class from
     * the training file that no batch took (past the first batch, the validation images and the second batch), so
     * images the model's dataset does not hold, standing in for production traffic. Returns how many of each class
     * there were (fewer than asked where the file holds no more, as the bundled subset with its full batches).
     */
    public static Map<String, Integer> writeTraffic(Origin origin, Sizes sizes, int perClass, Path root)
            throws IOException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        TARGET_CLASSES.forEach(label -> counts.put(label, 0));
        int[] seen = new int[FashionMnist.CLASS_NAMES.size()];
        origin.forEach(FashionMnist.Subset.TRAIN, (classIndex, name, png) -> {
            if (classIndex >= SOURCE_CLASSES.size() && seen[classIndex]++ >= sizes.fromTrainingFile(false)) {
                String label = FashionMnist.CLASS_NAMES.get(classIndex);
                if (counts.get(label) < perClass) {
                    Path file = root.resolve("traffic").resolve(label).resolve(name);
                    Files.createDirectories(file.getParent());
                    Files.write(file, png);
                    counts.merge(label, 1, Integer::sum);
                }
            }
            return counts.values().stream().anyMatch(count -> count < perClass);
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
