package io.stagetune.evaluator.evaluation;

import io.stagetune.inference.CheckpointModel;
import io.stagetune.common.image.Preprocessing;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Evaluations of a split of photos (scripts/benchmark-evaluator-photos.sh), in one process: decoding every photo
 * on every evaluation, as the evaluator did before it kept decoded test images, beside the first and a later
 * evaluation with {@link io.stagetune.common.image.DecodedImageFiles}. A checkpoint of the given backbone with a
 * nearest-class-mean head fitted on the Fashion-MNIST sample; the photos are one generated JPEG under distinct
 * content keys, as distinct photos of that size would be.
 * Each round runs the three in that order, so a change in the machine's load affects all; medians of the rounds.
 * <p>Arguments: backbone file, photos, width, height, resize, crop, batch size, rounds.
 */
public final class EvaluatorPhotoBenchmark {

    private EvaluatorPhotoBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path backbone = Path.of(args[0]);
        int photos = Integer.parseInt(args[1]);
        int width = Integer.parseInt(args[2]);
        int height = Integer.parseInt(args[3]);
        Preprocessing preprocessing = Preprocessing.imagenet(Integer.parseInt(args[4]), Integer.parseInt(args[5]));
        int batch = Integer.parseInt(args[6]);
        int rounds = Integer.parseInt(args[7]);
        Path folder = Files.createTempDirectory("evaluator-photo-benchmark");
        try {
            Path checkpoint = EvaluationFixtures.writeCheckpoint(folder.resolve("checkpoint"), backbone,
                    EvaluationFixtures.sample("train"), preprocessing);
            Path jpeg = folder.resolve("photo.jpg");
            ImageIO.write(EvaluationFixtures.photo(new Random(42), width, height), "jpeg", jpeg.toFile());
            TestSplit split = new TestSplit("photos", 1);
            try (CheckpointModel model = CheckpointModel.load(checkpoint)) {
                List<String> labels = model.labels();
                List<LabelledImage> plain = IntStream.range(0, photos)
                        .mapToObj(i -> new LabelledImage(jpeg, labels.get(i % labels.size()))).toList();
                List<LabelledImage> keyed = IntStream.range(0, photos).mapToObj(i -> new LabelledImage(jpeg,
                        labels.get(i % labels.size()), String.format("%064x", i))).toList();
                // Warm-up: libtorch's first forwards, the JIT, the decoder.
                new CheckpointEvaluator(batch).evaluate(model, split, plain.subList(0, Math.min(batch, photos)));

                System.out.printf("%d photos %dx%d, resize %d, crop %d, batch %d, %d cores; seconds per evaluation%n",
                        photos, width, height, preprocessing.resize(), preprocessing.crop(), batch,
                        Runtime.getRuntime().availableProcessors());
                System.out.printf("%-6s %16s %22s %22s%n", "round", "decoding always", "decoded cache, first",
                        "decoded cache, later");
                double[] everyTime = new double[rounds];
                double[] first = new double[rounds];
                double[] later = new double[rounds];
                long decodedBytes = 0;
                for (int round = 0; round < rounds; round++) {
                    Evaluation plainEvaluation = new CheckpointEvaluator(batch).evaluate(model, split, plain);
                    Path decoded = folder.resolve("decoded-" + round);
                    CheckpointEvaluator cached = new CheckpointEvaluator(batch, decoded);
                    Evaluation firstEvaluation = cached.evaluate(model, split, keyed);
                    Evaluation laterEvaluation = cached.evaluate(model, split, keyed);
                    if (!laterEvaluation.metrics().equals(firstEvaluation.metrics())
                            || laterEvaluation.imagesDecoded() != 0 || firstEvaluation.imagesDecoded() != photos) {
                        throw new IllegalStateException("a later evaluation decoded again or predicted otherwise");
                    }
                    everyTime[round] = seconds(plainEvaluation);
                    first[round] = seconds(firstEvaluation);
                    later[round] = seconds(laterEvaluation);
                    System.out.printf("%-6d %16.2f %22.2f %22.2f%n", round + 1, everyTime[round], first[round],
                            later[round]);
                    try (Stream<Path> files = Files.walk(decoded)) {
                        decodedBytes = files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length())
                                .sum();
                    }
                }
                System.out.printf("medians: decoding always %.2f s (%.1f images/s), first with the cache %.2f s, "
                                + "later %.2f s (%.1f images/s): later %.1fx faster, first %.2fx the time; "
                                + "decoded files %.1f MB%n", EvaluatorBenchmark.median(everyTime), photos / EvaluatorBenchmark.median(everyTime),
                        EvaluatorBenchmark.median(first), EvaluatorBenchmark.median(later), photos / EvaluatorBenchmark.median(later), EvaluatorBenchmark.median(everyTime) / EvaluatorBenchmark.median(later),
                        EvaluatorBenchmark.median(first) / EvaluatorBenchmark.median(everyTime), decodedBytes / 1e6);
            }
        } finally {
            try (Stream<Path> walk = Files.walk(folder)) {
                walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static double seconds(Evaluation evaluation) {
        return evaluation.duration().toNanos() / 1e9;
    }
}
