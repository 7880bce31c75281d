package io.stagetune.trainer.training;

/** Channels, height and width of a preprocessed image (CHW floats). */
public record ImageShape(int channels, int height, int width) {

    public ImageShape {
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("image shape must be positive: " + channels + "x" + height + "x" + width);
        }
    }

    /** Floats one image takes. */
    public int floats() {
        return channels * height * width;
    }
}
