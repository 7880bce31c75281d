package io.stagetune.evaluator.evaluation;

import io.stagetune.common.image.Images;
import io.stagetune.common.image.Preprocessor;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@link CheckpointModel} over labelled test images in batches and tallies the predictions. Test labels
 * the model does not know get their own rows (the model can never be right about them), after the model's labels.
 */
public final class CheckpointEvaluator {

    private final int batchSize;

    public CheckpointEvaluator(int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        this.batchSize = batchSize;
    }

    public Evaluation evaluate(CheckpointModel model, TestSplit split, List<LabelledImage> images) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException(split + " has no images to evaluate");
        }
        long began = System.nanoTime();
        List<String> labels = matrixLabels(model.labels(), images);
        Map<String, Integer> labelIndex = new HashMap<>();
        labels.forEach(label -> labelIndex.put(label, labelIndex.size()));
        EvaluationMetrics.Tally tally = new EvaluationMetrics.Tally(labels);
        Preprocessor preprocessor = model.preprocessor();
        int floats = preprocessor.outputLength();
        float[] inputs = new float[Math.min(batchSize, images.size()) * floats];
        for (int from = 0; from < images.size(); from += batchSize) {
            int count = Math.min(batchSize, images.size() - from);
            for (int i = 0; i < count; i++) {
                preprocessor.evalTransform(decode(images.get(from + i)), inputs, i * floats);
            }
            int[] predicted = model.predict(inputs, count);
            for (int i = 0; i < count; i++) {
                tally.add(labelIndex.get(images.get(from + i).label()), predicted[i]);
            }
        }
        return new Evaluation(split, tally.metrics(), Duration.ofNanos(System.nanoTime() - began));
    }

    static List<String> matrixLabels(List<String> modelLabels, List<LabelledImage> images) {
        List<String> labels = new ArrayList<>(modelLabels);
        images.stream().map(LabelledImage::label).filter(label -> !modelLabels.contains(label)).distinct().sorted()
                .forEach(labels::add);
        return labels;
    }

    private static BufferedImage decode(LabelledImage image) {
        try {
            return Images.decode(Files.readAllBytes(image.file()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read test image " + image.file(), e);
        }
    }
}
