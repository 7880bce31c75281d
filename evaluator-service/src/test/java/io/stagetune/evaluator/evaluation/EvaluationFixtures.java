package io.stagetune.evaluator.evaluation;

import io.stagetune.common.checkpoint.CheckpointManifest;
import io.stagetune.common.checkpoint.HeadWeights;
import io.stagetune.common.events.EventJson;
import io.stagetune.common.events.Stage;
import io.stagetune.common.image.Images;
import io.stagetune.common.image.Preprocessing;
import io.stagetune.common.image.Preprocessor;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/** The committed tiny backbone and Fashion-MNIST sample, and checkpoints made from them without training. */
public final class EvaluationFixtures {

    public static final Path ROOT = Path.of(System.getProperty("stagetune.fixtures", "../fixtures"));
    public static final Path TINY_BACKBONE = ROOT.resolve("backbones/resnet-tiny.pt");
    /** 28x28 images: resize to 36, crop 32, the smallest input the tiny ResNet takes. */
    public static final Preprocessing PREPROCESSING = Preprocessing.imagenet(36, 32);

    private EvaluationFixtures() {
    }

    /** Every image of a sample split ({@code train} or {@code test}), label folders in name order. */
    public static List<LabelledImage> sample(String split) throws IOException {
        List<LabelledImage> images = new ArrayList<>();
        try (Stream<Path> labels = Files.list(ROOT.resolve("fashion-mnist-sample").resolve(split))) {
            for (Path label : labels.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> files = Files.list(label)) {
                    files.filter(file -> file.toString().endsWith(".png")).sorted()
                            .forEach(file -> images.add(new LabelledImage(file, label.getFileName().toString())));
                }
            }
        }
        return images;
    }

    static List<String> labels(List<LabelledImage> images) {
        return images.stream().map(LabelledImage::label).distinct().sorted().toList();
    }

    static BufferedImage decode(LabelledImage image) {
        try {
            return Images.decode(Files.readAllBytes(image.file()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The images through the shared eval transform, one after another (NCHW). */
    static float[] preprocess(List<LabelledImage> images, Preprocessing preprocessing) {
        Preprocessor preprocessor = new Preprocessor(preprocessing);
        float[] inputs = new float[images.size() * preprocessor.outputLength()];
        for (int i = 0; i < images.size(); i++) {
            preprocessor.evalTransform(decode(images.get(i)), inputs, i * preprocessor.outputLength());
        }
        return inputs;
    }

    /**
     * A complete checkpoint folder: the backbone, a nearest-class-mean head fitted on the train images' features
     * (row c = mean feature vector of class c, bias = -|mean|^2 / 2, so the highest score is the nearest mean),
     * and checkpoint.json, written last.
     */
    public static Path writeCheckpoint(Path folder, Path backbone, List<LabelledImage> train, Preprocessing preprocessing)
            throws Exception {
        Files.createDirectories(folder);
        Files.copy(backbone, folder.resolve(CheckpointManifest.BACKBONE_FILE), StandardCopyOption.REPLACE_EXISTING);
        List<String> labels = labels(train);
        float[][] features;
        try (DirectForward forward = new DirectForward(backbone)) {
            features = forward.features(preprocess(train, preprocessing), train.size(), preprocessing.crop());
        }
        int width = features[0].length;
        float[] weight = new float[labels.size() * width];
        int[] counts = new int[labels.size()];
        for (int i = 0; i < train.size(); i++) {
            int label = labels.indexOf(train.get(i).label());
            counts[label]++;
            for (int f = 0; f < width; f++) {
                weight[label * width + f] += features[i][f];
            }
        }
        float[] bias = new float[labels.size()];
        for (int label = 0; label < labels.size(); label++) {
            for (int f = 0; f < width; f++) {
                weight[label * width + f] /= counts[label];
                bias[label] -= weight[label * width + f] * weight[label * width + f] / 2;
            }
        }
        new HeadWeights(labels, width, weight, bias).write(folder.resolve(CheckpointManifest.HEAD_FILE));
        CheckpointManifest manifest = new CheckpointManifest(CheckpointManifest.FORMAT_VERSION, "fashion", "run-1",
                Stage.HEAD, 0, Stage.DEFAULT_PLAN, "shop", 1, labels, 1, 1, 0.5, preprocessing, null,
                "s3://checkpoints/_backbones/resnet-tiny.pt", Map.of(), Instant.parse("2026-01-01T00:00:00Z"));
        Files.write(folder.resolve(CheckpointManifest.FILE), EventJson.writeBytes(manifest));
        return folder;
    }

    /** A seeded stand-in for a photo: a gradient and a few coloured ellipses. */
    static BufferedImage photo(Random random, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        graphics.setPaint(new GradientPaint(0, 0, new Color(random.nextInt(0xFFFFFF)), width, height,
                new Color(random.nextInt(0xFFFFFF))));
        graphics.fillRect(0, 0, width, height);
        for (int shape = 0; shape < 8; shape++) {
            graphics.setColor(new Color(random.nextInt(0xFFFFFF)));
            graphics.fillOval(random.nextInt(width), random.nextInt(height), 40 + random.nextInt(200),
                    40 + random.nextInt(200));
        }
        graphics.dispose();
        return image;
    }
}
