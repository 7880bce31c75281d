package io.stagetune.common.image;

import java.util.List;
import java.util.Objects;

/**
 * The image preprocessing of a model, recorded in its checkpoint.json so that training, evaluation and
 * prediction all prepare images the same way ({@link Preprocessor} applies it).
 *
 * @param resize       evaluation resizes the shorter side to this many pixels, then center-crops
 * @param crop         side of the square network input, for training and evaluation
 * @param mean         per-channel (R, G, B) mean subtracted after scaling pixels to [0, 1]
 * @param std          per-channel (R, G, B) standard deviation divided by after subtracting the mean
 * @param minCropScale smallest fraction of the image area a training crop covers (torchvision: 0.08);
 *                     tiny images such as 28x28 often train better with a larger one, e.g. 0.5
 */
public record Preprocessing(int resize, int crop, List<Float> mean, List<Float> std, double minCropScale) {

    public static final List<Float> IMAGENET_MEAN = List.of(0.485f, 0.456f, 0.406f);
    public static final List<Float> IMAGENET_STD = List.of(0.229f, 0.224f, 0.225f);
    public static final double DEFAULT_MIN_CROP_SCALE = 0.08;

    public Preprocessing {
        if (resize <= 0 || crop <= 0) {
            throw new IllegalArgumentException("resize and crop must be positive, got resize " + resize
                    + " and crop " + crop);
        }
        if (crop > resize) {
            throw new IllegalArgumentException("crop " + crop + " must not exceed resize " + resize
                    + " (evaluation center-crops the resized image)");
        }
        mean = requireRgb("mean", mean);
        std = requireRgb("std", std);
        for (float value : std) {
            if (!(value > 0)) {
                throw new IllegalArgumentException("std values must be > 0, got " + std);
            }
        }
        if (!(minCropScale > 0 && minCropScale <= 1)) {
            throw new IllegalArgumentException("minCropScale must be in (0, 1], got " + minCropScale);
        }
    }

    /** The classic recipe: Resize(256), CenterCrop(224) / RandomResizedCrop(224), ImageNet mean and std. */
    public static Preprocessing imagenet() {
        return imagenet(256, 224);
    }

    /** ImageNet normalisation (what pretrained backbones expect) with other sizes, e.g. 36/32 for 28x28 images. */
    public static Preprocessing imagenet(int resize, int crop) {
        return new Preprocessing(resize, crop, IMAGENET_MEAN, IMAGENET_STD, DEFAULT_MIN_CROP_SCALE);
    }

    public Preprocessing withMinCropScale(double scale) {
        return new Preprocessing(resize, crop, mean, std, scale);
    }

    /** Floats per image: 3 channels of crop x crop, channel-major (CHW). */
    public int outputLength() {
        return 3 * crop * crop;
    }

    private static List<Float> requireRgb(String name, List<Float> values) {
        Objects.requireNonNull(values, name);
        if (values.size() != 3) {
            throw new IllegalArgumentException(name + " needs 3 values (R, G, B), got " + values);
        }
        for (Float value : values) {
            if (value == null || !Float.isFinite(value)) {
                throw new IllegalArgumentException(name + " values must be finite numbers, got " + values);
            }
        }
        return List.copyOf(values);
    }
}
