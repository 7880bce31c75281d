package io.stagetune.evaluator.evaluation;

import io.stagetune.common.events.EventJson;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * One model version's answer on every image of a test split, named by the image's content hash, so that two
 * versions are compared image by image, whatever the order of their manifests. Stored once per version and split
 * as gzipped JSON ({@link #toGzipJson()}); about 40 bytes an image.
 *
 * @param formatVersion {@link #FORMAT_VERSION}
 * @param labels        the rows of the evaluation: the model's labels in head order, then test labels it does not
 *                      know; {@code truth} and {@code predicted} are indices into it
 * @param images        the test images' SHA-256, in manifest order
 * @param truth         each image's true label
 * @param predicted     each image's predicted label
 */
public record ImagePredictions(int formatVersion, String datasetId, int datasetVersion, List<String> labels,
                               List<String> images, int[] truth, int[] predicted) {

    public static final int FORMAT_VERSION = 1;

    public ImagePredictions {
        labels = List.copyOf(labels);
        images = List.copyOf(images);
        if (truth.length != images.size() || predicted.length != images.size()) {
            throw new IllegalArgumentException(images.size() + " images but " + truth.length + " true labels and "
                    + predicted.length + " predictions");
        }
        for (int i = 0; i < images.size(); i++) {
            if (truth[i] < 0 || truth[i] >= labels.size() || predicted[i] < 0 || predicted[i] >= labels.size()) {
                throw new IllegalArgumentException("image " + images.get(i) + ": label indices (" + truth[i] + ", "
                        + predicted[i] + ") outside 0.." + (labels.size() - 1));
            }
        }
    }

    public static ImagePredictions of(TestSplit split, List<String> labels, List<String> images, int[] truth,
                                      int[] predicted) {
        return new ImagePredictions(FORMAT_VERSION, split.datasetId(), split.datasetVersion(), labels, images,
                truth, predicted);
    }

    public TestSplit testSplit() {
        return new TestSplit(datasetId, datasetVersion);
    }

    /** The evaluation's figures, as {@link CheckpointEvaluator} tallied them. */
    public EvaluationMetrics metrics() {
        return EvaluationMetrics.of(labels, truth, predicted);
    }

    public String trueLabel(int image) {
        return labels.get(truth[image]);
    }

    public boolean correct(int image) {
        return truth[image] == predicted[image];
    }

    public byte[] toGzipJson() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(EventJson.writeBytes(this));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static ImagePredictions fromGzipJson(byte[] gzipped) {
        try (GZIPInputStream gzip = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
            ImagePredictions predictions = EventJson.readDocument(gzip.readAllBytes(), ImagePredictions.class);
            if (predictions.formatVersion() != FORMAT_VERSION) {
                throw new IllegalArgumentException("predictions format " + predictions.formatVersion()
                        + " is not " + FORMAT_VERSION);
            }
            return predictions;
        } catch (IOException e) {
            throw new IllegalArgumentException("stored predictions are not gzipped JSON: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ImagePredictions that && formatVersion == that.formatVersion
                && datasetVersion == that.datasetVersion && datasetId.equals(that.datasetId)
                && labels.equals(that.labels) && images.equals(that.images) && Arrays.equals(truth, that.truth)
                && Arrays.equals(predicted, that.predicted);
    }

    @Override
    public int hashCode() {
        return 31 * images.hashCode() + Arrays.hashCode(predicted);
    }

    @Override
    public String toString() {
        return "ImagePredictions[" + testSplit() + ", " + images.size() + " images]";
    }
}
