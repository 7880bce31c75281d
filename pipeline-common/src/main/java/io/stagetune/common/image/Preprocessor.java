package io.stagetune.common.image;

import java.awt.image.BufferedImage;
import java.util.Objects;
import java.util.Random;

/**
 * Applies a {@link Preprocessing}: the one way training, evaluation and prediction turn an image into the
 * network's input, a float array of 3 x crop x crop values, channel-major (CHW), RGB, normalised with the
 * mean and std. Immutable and thread-safe; the methods that take an output array allocate no output, so a
 * batch buffer can be filled image by image.
 */
public final class Preprocessor {

    private final Preprocessing preprocessing;
    /** Normalised value of every 8-bit level per channel: (level / 255 - mean) / std. */
    private final float[][] normalised = new float[3][256];

    public Preprocessor(Preprocessing preprocessing) {
        this.preprocessing = Objects.requireNonNull(preprocessing, "preprocessing");
        for (int channel = 0; channel < 3; channel++) {
            float mean = preprocessing.mean().get(channel);
            float std = preprocessing.std().get(channel);
            for (int level = 0; level < 256; level++) {
                normalised[channel][level] = (level / 255f - mean) / std;
            }
        }
    }

    public Preprocessing preprocessing() {
        return preprocessing;
    }

    public int outputLength() {
        return preprocessing.outputLength();
    }

    public float[] evalTransform(BufferedImage image) {
        float[] out = new float[outputLength()];
        evalTransform(image, out, 0);
        return out;
    }

    /**
     * Evaluation and prediction: Resize(resize) of the shorter side, CenterCrop(crop), normalise, written to
     * {@code out[offset .. offset + outputLength())}. Deterministic.
     */
    public void evalTransform(BufferedImage image, float[] out, int offset) {
        Objects.checkFromIndexSize(offset, outputLength(), out.length);
        BufferedImage rgb = Images.toRgb(image);
        int width = rgb.getWidth();
        int height = rgb.getHeight();
        int resize = preprocessing.resize();
        int crop = preprocessing.crop();
        int resizedWidth = width <= height ? resize : (int) ((long) resize * width / height);
        int resizedHeight = width <= height ? (int) ((long) resize * height / width) : resize;
        // Math.rint rounds half to even like Python's round() in torchvision's center_crop.
        int left = (int) Math.rint((resizedWidth - crop) / 2.0);
        int top = (int) Math.rint((resizedHeight - crop) / 2.0);
        Resampler.AxisWeights xs = Resampler.axis(0, width, (double) width / resizedWidth, left, crop);
        Resampler.AxisWeights ys = Resampler.axis(0, height, (double) height / resizedHeight, top, crop);
        Resampler.resample(Images.rgbPixels(rgb), width, xs, ys, false, normalised, out, offset);
    }

    public float[] trainTransform(BufferedImage image, Random random) {
        float[] out = new float[outputLength()];
        trainTransform(image, random, out, 0);
        return out;
    }

    /**
     * Training augmentation: RandomResizedCrop(crop, scale = (minCropScale, 1), ratio = (3/4, 4/3)), then
     * RandomHorizontalFlip(0.5), normalise, written to {@code out[offset .. offset + outputLength())}. All
     * randomness comes from {@code random}, so a seeded one gives the same output every time.
     */
    public void trainTransform(BufferedImage image, Random random, float[] out, int offset) {
        Objects.checkFromIndexSize(offset, outputLength(), out.length);
        BufferedImage rgb = Images.toRgb(image);
        CropWindow window = CropWindow.random(rgb.getWidth(), rgb.getHeight(), preprocessing.minCropScale(), random);
        boolean mirror = random.nextDouble() < 0.5;
        resizedCrop(rgb, window, mirror, out, offset);
    }

    /** torchvision's {@code resized_crop}: the window resized to crop x crop, optionally mirrored, normalised. */
    void resizedCrop(BufferedImage rgb, CropWindow window, boolean mirror, float[] out, int offset) {
        int crop = preprocessing.crop();
        Resampler.AxisWeights xs = Resampler.axis(window.x(), window.width(), (double) window.width() / crop, 0, crop);
        Resampler.AxisWeights ys = Resampler.axis(window.y(), window.height(), (double) window.height() / crop, 0, crop);
        Resampler.resample(Images.rgbPixels(rgb), rgb.getWidth(), xs, ys, mirror, normalised, out, offset);
    }
}
