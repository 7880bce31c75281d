package io.stagetune.common.image;

import java.util.Random;

/** A rectangle of source pixels that is resized to the network input. */
record CropWindow(int x, int y, int width, int height) {

    private static final double MIN_LOG_RATIO = Math.log(3.0 / 4.0);
    private static final double MAX_LOG_RATIO = Math.log(4.0 / 3.0);
    private static final int ATTEMPTS = 10;

    /**
     * torchvision's {@code RandomResizedCrop.get_params} with scale ({@code minScale}, 1) and ratio (3/4, 4/3):
     * up to ten draws of an area fraction and a log-uniform aspect ratio, the first that fits is placed
     * uniformly; when none fits, the largest center crop whose ratio is within bounds.
     */
    static CropWindow random(int imageWidth, int imageHeight, double minScale, Random random) {
        double area = (double) imageWidth * imageHeight;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            double targetArea = area * (minScale + (1.0 - minScale) * random.nextDouble());
            double aspectRatio = Math.exp(MIN_LOG_RATIO + (MAX_LOG_RATIO - MIN_LOG_RATIO) * random.nextDouble());
            int width = (int) Math.rint(Math.sqrt(targetArea * aspectRatio));
            int height = (int) Math.rint(Math.sqrt(targetArea / aspectRatio));
            if (width > 0 && width <= imageWidth && height > 0 && height <= imageHeight) {
                int y = random.nextInt(imageHeight - height + 1);
                int x = random.nextInt(imageWidth - width + 1);
                return new CropWindow(x, y, width, height);
            }
        }
        return centerFallback(imageWidth, imageHeight);
    }

    private static CropWindow centerFallback(int imageWidth, int imageHeight) {
        double ratio = (double) imageWidth / imageHeight;
        int width = imageWidth;
        int height = imageHeight;
        if (ratio < 3.0 / 4.0) {
            height = (int) Math.rint(width / (3.0 / 4.0));
        } else if (ratio > 4.0 / 3.0) {
            width = (int) Math.rint(height * (4.0 / 3.0));
        }
        return new CropWindow((imageWidth - width) / 2, (imageHeight - height) / 2, width, height);
    }
}
