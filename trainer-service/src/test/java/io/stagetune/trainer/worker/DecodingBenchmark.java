package io.stagetune.trainer.worker;

import io.stagetune.common.image.Images;
import io.stagetune.common.image.Preprocessing;
import io.stagetune.common.image.Preprocessor;
import io.stagetune.trainer.training.PreprocessingPool;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Heap and time of decoding a split of photos the way the worker does ({@link DecodedImages}: presized, into
 * content-addressed files), beside keeping every decoded photo on the heap as Java images, in one process; then the
 * same split for a later stage (read, not decoded), and photos/s of batch preparation from the files on one thread
 * and on every core (scripts/benchmark-decoding.sh).
 * <p>Arguments: photos, width, height (the same generated JPEG, decoded that many times), crop.
 */
public final class DecodingBenchmark {

    public static void main(String[] args) throws IOException {
        int photos = Integer.parseInt(args[0]);
        int width = Integer.parseInt(args[1]);
        int height = Integer.parseInt(args[2]);
        int crop = Integer.parseInt(args[3]);
        Path folder = Files.createTempDirectory("decoding-benchmark");
        Path jpeg = folder.resolve("photo.jpg");
        ImageIO.write(photo(width, height), "jpeg", jpeg.toFile());
        List<Path> files = Collections.nCopies(photos, jpeg);
        Preprocessor preprocessor = new Preprocessor(Preprocessing.imagenet(crop * 8 / 7, crop));

        long base = heap();
        long began = System.nanoTime();
        List<BufferedImage> onHeap = files.parallelStream().map(DecodingBenchmark::decode).toList();
        double heapSeconds = (System.nanoTime() - began) / 1e9;
        long heapBytes = heap() - base;
        System.out.printf("as Java images: %d MB of heap for %d photos, %.1f s%n", heapBytes >> 20, onHeap.size(),
                heapSeconds);
        onHeap = null;

        base = heap();
        began = System.nanoTime();
        // Distinct content keys: each photo gets its own decoded file, as distinct images would.
        List<String> keys = IntStream.range(0, photos).mapToObj(i -> String.format("%064x", i)).toList();
        Path decodedFolder = folder.resolve("decoded");
        try {
            DecodedImages decoded = DecodedImages.decode(files, new int[photos], keys, preprocessor, decodedFolder);
            double fileSeconds = (System.nanoTime() - began) / 1e9;
            long fileHeap = heap() - base;
            began = System.nanoTime();
            DecodedImages again = DecodedImages.decode(files, new int[photos], keys, preprocessor, decodedFolder);
            double againSeconds = (System.nanoTime() - began) / 1e9;
            System.out.printf("presized into files: %d MB of heap, %d MB of files (shorter side %d), %.1f s; "
                            + "a later stage over the same photos: %.2f s (%d decoded)%n",
                    Math.max(0, fileHeap) >> 20, decoded.bytes() >> 20,
                    DecodedImages.presize(preprocessor.preprocessing()), fileSeconds, againSeconds, again.decoded());
            int cores = Runtime.getRuntime().availableProcessors();
            for (int threads : cores > 1 ? new int[] {1, cores} : new int[] {1}) {
                System.out.printf("batches of 32 (read, train transform, normalise) on %d thread(s): %.0f photos/s%n",
                        threads, batchesPerSecond(decoded, preprocessor, threads) * 32);
            }
        } finally {
            try (Stream<Path> walk = Files.walk(folder)) {
                walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** Rounds of batches prepared from the decoded photos by a pool of {@code threads}, after a warm-up round. */
    private static double batchesPerSecond(DecodedImages decoded, Preprocessor preprocessor, int threads) {
        int[] order = IntStream.range(0, decoded.size()).toArray();
        float[] pixels = new float[32 * preprocessor.outputLength()];
        float[] labels = new float[32];
        Random seeds = new Random(1);
        try (PreprocessingPool pool = new PreprocessingPool(threads)) {
            int batches = 0;
            long began = 0;
            for (int round = 0; round < 2; round++) {
                if (round == 1) {
                    began = System.nanoTime();
                    batches = 0;
                }
                for (int from = 0; from + 32 <= order.length; from += 32) {
                    pool.fill(decoded, order, from, from + 32, seeds.nextLong(), pixels, labels);
                    batches++;
                }
            }
            return batches / ((System.nanoTime() - began) / 1e9);
        }
    }

    private static BufferedImage decode(Path file) {
        try {
            return Images.decode(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Gradients and fine texture, seeded: a JPEG of about a phone photo's size on disk. */
    private static BufferedImage photo(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(42);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int noise = random.nextInt(32);
                image.setRGB(x, y, (x * 255 / width) << 16 | (y * 255 / height) << 8 | ((x ^ y) & 0xDF) + noise);
            }
        }
        return image;
    }

    private static long heap() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
