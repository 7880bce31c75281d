package io.stagetune.evaluator.evaluation;

import io.stagetune.inference.CheckpointDownloader;
import io.stagetune.inference.CheckpointModel;
import io.stagetune.common.checkpoint.CheckpointManifest;
import io.stagetune.common.checkpoint.HeadWeights;
import io.stagetune.common.dataset.DatasetManifests;
import io.stagetune.common.dataset.ImageCache;
import io.stagetune.common.dataset.ManifestEntry;
import io.stagetune.localstack.infrastructure.EmbeddedS3;
import io.stagetune.common.events.Split;
import io.stagetune.common.image.DecodedImageFiles;
import io.stagetune.common.image.Images;
import io.stagetune.common.storage.ObjectKeys;
import io.stagetune.common.storage.ObjectStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * End to end without training: a checkpoint made from the committed tiny backbone and a nearest-class-mean head,
 * the sample's test split stored content-addressed in an embedded S3 store, fetched through the image cache,
 * preprocessed with the shared eval transform and evaluated; predictions checked against DJL's standard
 * inference path.
 */
class CheckpointEvaluationTest {

    private static final String CHECKPOINT = "s3://checkpoints/fashion/run-1/head/";
    private static final TestSplit SPLIT = new TestSplit("shop", 1);

    @TempDir
    static Path scratch;

    private static EmbeddedS3 s3;
    private static ObjectStore store;
    private static List<LabelledImage> test;

    @BeforeAll
    static void storeDatasetAndCheckpoint() throws Exception {
        s3 = EmbeddedS3.start();
        store = new ObjectStore(s3.settings());
        store.ensureBucket("datasets");
        store.ensureBucket("checkpoints");
        List<LabelledImage> train = EvaluationFixtures.sample("train");
        test = EvaluationFixtures.sample("test");
        List<ManifestEntry> entries = new ArrayList<>();
        // Train images in the manifest too: only the test split may be evaluated.
        for (LabelledImage image : train.subList(0, 30)) {
            entries.add(upload(image, Split.TRAIN));
        }
        for (LabelledImage image : test) {
            entries.add(upload(image, Split.TEST));
        }
        store.put("datasets", ObjectKeys.manifest(SPLIT.datasetId(), SPLIT.datasetVersion()),
                DatasetManifests.format(entries), "application/x-ndjson");
        Path local = EvaluationFixtures.writeCheckpoint(scratch.resolve("made"), EvaluationFixtures.TINY_BACKBONE,
                train, EvaluationFixtures.PREPROCESSING);
        for (String file : List.of(CheckpointManifest.BACKBONE_FILE, CheckpointManifest.HEAD_FILE,
                CheckpointManifest.FILE)) {
            store.put("checkpoints", "fashion/run-1/head/" + file, local.resolve(file), "application/octet-stream");
        }
    }

    @AfterAll
    static void stopStore() {
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void evaluatesTheTestSplitFromTheObjectStoreAsADirectDjlForwardPredicts() throws Exception {
        Path folder = new CheckpointDownloader(store).download(CHECKPOINT, scratch.resolve("downloaded"));
        ImageCache cache = new ImageCache(store, scratch.resolve("images"), 4);
        List<LabelledImage> images = new TestSplitImages(new DatasetManifests(store, "datasets"), cache).fetch(SPLIT);

        Evaluation evaluation;
        try (CheckpointModel model = CheckpointModel.load(folder)) {
            evaluation = new CheckpointEvaluator(32).evaluate(model, SPLIT, images);
        }

        EvaluationMetrics metrics = evaluation.metrics();
        assertThat(images).hasSize(test.size()).allSatisfy(image -> assertThat(image.file()).startsWith(scratch));
        assertThat(metrics.imagesEvaluated()).isEqualTo(200);
        assertThat(metrics.labels()).isEqualTo(EvaluationFixtures.labels(test));
        assertThat(metrics.perClass()).allSatisfy(c -> assertThat(c.support()).isEqualTo(20));
        // Chance is 0.1; nearest class means of random-weight features do clearly better.
        assertThat(metrics.accuracy()).isGreaterThan(0.3);
        assertThat(evaluation.imagesPerSecond()).isPositive();
        System.out.printf("tiny backbone + nearest-mean head: accuracy %.3f, macro F1 %.3f, %.0f images/s%n",
                metrics.accuracy(), metrics.macroF1(), evaluation.imagesPerSecond());
        assertThat(metrics).isEqualTo(directMetrics(folder, images));
    }

    @Test
    void predictionsAndLogitsEqualADirectDjlForward() throws Exception {
        Path folder = EvaluationFixtures.writeCheckpoint(scratch.resolve("local"), EvaluationFixtures.TINY_BACKBONE,
                EvaluationFixtures.sample("train"), EvaluationFixtures.PREPROCESSING);
        List<LabelledImage> batch = test.subList(0, 50);
        float[] inputs = EvaluationFixtures.preprocess(batch, EvaluationFixtures.PREPROCESSING);

        float[][] expected;
        try (DirectForward direct = new DirectForward(folder.resolve(CheckpointManifest.BACKBONE_FILE))) {
            expected = DirectForward.logits(direct.features(inputs, batch.size(), 32),
                    HeadWeights.read(folder.resolve(CheckpointManifest.HEAD_FILE)));
        }
        try (CheckpointModel model = CheckpointModel.load(folder)) {
            float[][] logits = model.logits(inputs, batch.size());
            for (int i = 0; i < batch.size(); i++) {
                for (int c = 0; c < logits[i].length; c++) {
                    float tolerance = 1e-3f * Math.max(1, Math.abs(expected[i][c]));
                    assertThat(logits[i][c]).isCloseTo(expected[i][c], within(tolerance));
                }
            }
            assertThat(model.predict(batch.stream().map(EvaluationFixtures::decode).toList()))
                    .containsExactly(DirectForward.argMax(expected));
        }
    }

    @Test
    void fetchesOnlyTheTestSplitAndEachImageOnce() {
        ImageCache cache = new ImageCache(store, scratch.resolve("images-again"), 4);
        DatasetManifests manifests = new DatasetManifests(store, "datasets");
        new TestSplitImages(manifests, cache).fetch(SPLIT);
        List<ManifestEntry> entries = manifests.entries(SPLIT.datasetId(), SPLIT.datasetVersion());

        assertThat(cache.downloadsNeeded(entries.stream().filter(e -> e.split() == Split.TEST).toList())).isZero();
        assertThat(cache.downloadsNeeded(entries.stream().filter(e -> e.split() == Split.TRAIN).toList()))
                .isEqualTo(30);
    }

    @Test
    void aSplitIsDecodedOnceAndLaterEvaluationsNeitherDownloadNorDecodeIt() throws Exception {
        Path folder = new CheckpointDownloader(store).download(CHECKPOINT, scratch.resolve("checkpoint-decoded"));
        CheckpointEvaluator evaluator = new CheckpointEvaluator(32, scratch.resolve("decoded"));
        DatasetManifests manifests = new DatasetManifests(store, "datasets");
        Path laterDownloads = scratch.resolve("images-later");
        try (CheckpointModel model = CheckpointModel.load(folder)) {
            DecodedImageFiles decoded = evaluator.decodedFiles(model.preprocessor().preprocessing());
            List<LabelledImage> first = new TestSplitImages(manifests,
                    new ImageCache(store, scratch.resolve("images-first"), 4)).fetch(SPLIT, decoded);
            Evaluation once = evaluator.evaluate(model, SPLIT, first);
            // Another evaluation, as after a restart with an empty download cache: every image is decoded already.
            List<LabelledImage> later = new TestSplitImages(manifests, new ImageCache(store, laterDownloads, 4))
                    .fetch(SPLIT, decoded);
            Evaluation again = evaluator.evaluate(model, SPLIT, later);

            assertThat(first).hasSize(200).allSatisfy(image -> assertThat(image.file()).isNotNull());
            assertThat(once.imagesDecoded()).isEqualTo(200);
            assertThat(later).hasSize(200).allSatisfy(image -> assertThat(image.file()).isNull());
            assertThat(again.imagesDecoded()).isZero();
            assertThat(regularFiles(laterDownloads)).isZero();
            // 28x28 images are smaller than the resize: kept as they are, so the metrics are exactly the direct ones.
            assertThat(once.metrics()).isEqualTo(directMetrics(folder, test));
            assertThat(again.metrics()).isEqualTo(once.metrics());

            Files.delete(decoded.file(later.get(7).key()));
            assertThatThrownBy(() -> evaluator.evaluate(model, SPLIT, later)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(later.get(7).key()).hasMessageContaining("neither a decoded nor an original");
        }
    }

    @Test
    void photosAreKeptShrunkToTheResizeAndEvaluatedAsTorchvisionResizesThem() throws Exception {
        Path folder = new CheckpointDownloader(store).download(CHECKPOINT, scratch.resolve("checkpoint-photos"));
        Path photos = Files.createDirectories(scratch.resolve("photos"));
        Path shrunkPhotos = Files.createDirectories(scratch.resolve("photos-shrunk"));
        Random random = new Random(5);
        List<LabelledImage> originals = new ArrayList<>();
        List<LabelledImage> shrunk = new ArrayList<>();
        try (CheckpointModel model = CheckpointModel.load(folder)) {
            int resize = model.preprocessor().preprocessing().resize();
            for (int i = 0; i < 12; i++) {
                BufferedImage photo = EvaluationFixtures.photo(random, 640, 480);
                Path file = photos.resolve(i + ".png");
                ImageIO.write(photo, "png", file.toFile());
                Path small = shrunkPhotos.resolve(i + ".png");
                ImageIO.write(Images.shrink(photo, resize), "png", small.toFile());
                String label = model.labels().get(i % model.labels().size());
                originals.add(new LabelledImage(file, label, sha256(Files.readAllBytes(file))));
                shrunk.add(new LabelledImage(small, label));
            }
            CheckpointEvaluator evaluator = new CheckpointEvaluator(5, scratch.resolve("photos-decoded"));
            Evaluation evaluation = evaluator.evaluate(model, SPLIT, originals);
            Evaluation expected = new CheckpointEvaluator(5).evaluate(model, SPLIT, shrunk);

            assertThat(evaluation.imagesDecoded()).isEqualTo(12);
            DecodedImageFiles decoded = evaluator.decodedFiles(model.preprocessor().preprocessing());
            // 640x480 shrunk to a shorter side of 36 is 48x36: 3 bytes per pixel after the 8-byte header.
            assertThat(originals).allSatisfy(image -> assertThat(decoded.size(image.key())).containsExactly(48, 36));
            assertThat(Files.size(decoded.file(originals.get(0).key()))).isEqualTo(8 + 3 * 48 * 36);
            assertThat(evaluation.metrics()).isEqualTo(expected.metrics());
        }
    }

    private static long regularFiles(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void refusesAnIncompleteCheckpoint() throws IOException {
        store.put("checkpoints", "fashion/run-2/head/backbone.pt", new byte[] {1}, "application/octet-stream");
        Path partial = Files.createDirectories(scratch.resolve("partial"));
        Files.copy(EvaluationFixtures.TINY_BACKBONE, partial.resolve(CheckpointManifest.BACKBONE_FILE));

        assertThatThrownBy(() -> new CheckpointDownloader(store).download("s3://checkpoints/fashion/run-2/head/",
                scratch.resolve("run-2"))).hasMessageContaining("incomplete");
        assertThatThrownBy(() -> CheckpointModel.load(partial)).isInstanceOf(IOException.class)
                .hasMessageContaining("checkpoint.json");
    }

    private static EvaluationMetrics directMetrics(Path folder, List<LabelledImage> images) throws Exception {
        HeadWeights head = HeadWeights.read(folder.resolve(CheckpointManifest.HEAD_FILE));
        int[] predicted;
        try (DirectForward direct = new DirectForward(folder.resolve(CheckpointManifest.BACKBONE_FILE))) {
            predicted = DirectForward.argMax(DirectForward.logits(direct.features(
                    EvaluationFixtures.preprocess(images, EvaluationFixtures.PREPROCESSING), images.size(), 32), head));
        }
        int[] truth = images.stream().mapToInt(image -> head.labels().indexOf(image.label())).toArray();
        return EvaluationMetrics.of(head.labels(), truth, predicted);
    }

    private static ManifestEntry upload(LabelledImage image, Split split) throws Exception {
        byte[] bytes = Files.readAllBytes(image.file());
        String sha256 = sha256(bytes);
        String key = ObjectKeys.image(SPLIT.datasetId(), sha256, "png");
        store.putIfAbsent("datasets", key, bytes, "image/png");
        return new ManifestEntry(key, sha256, image.label(), split, 28, 28);
    }
}
