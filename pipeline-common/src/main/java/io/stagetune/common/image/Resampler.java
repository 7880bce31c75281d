package io.stagetune.common.image;

/**
 * Bilinear resampling with antialiasing, the way PIL resizes (and so torchvision's transforms on PIL images):
 * a triangle filter widened by the scale factor when shrinking, applied horizontally then vertically, with
 * the result of each pass rounded to 8 bits. Only the output pixels that are asked for are computed.
 */
final class Resampler {

    /** For each output position along one axis: the first source index, how many follow, and their weights. */
    record AxisWeights(int[] first, int[] count, float[] weights, int stride) {

        int sourceStart() {
            return first[0];
        }

        int sourceEnd() {
            int last = first.length - 1;
            return first[last] + count[last];
        }
    }

    private Resampler() {
    }

    /**
     * Weights for {@code outputCount} outputs starting at {@code outputStart} of an axis that maps the source
     * pixels [{@code sourceStart}, {@code sourceStart + sourceLength}) onto outputs at {@code scale} source
     * pixels per output pixel; sources outside that range are never used (edges are clamped).
     */
    static AxisWeights axis(int sourceStart, int sourceLength, double scale, int outputStart, int outputCount) {
        double filterScale = Math.max(scale, 1.0);
        double support = filterScale;
        int stride = (int) Math.ceil(support) * 2 + 1;
        int[] first = new int[outputCount];
        int[] count = new int[outputCount];
        float[] weights = new float[outputCount * stride];
        int sourceEnd = sourceStart + sourceLength;
        for (int out = 0; out < outputCount; out++) {
            double center = sourceStart + (outputStart + out + 0.5) * scale;
            int from = Math.max(sourceStart, (int) Math.floor(center - support + 0.5));
            int to = Math.min(sourceEnd, (int) Math.floor(center + support + 0.5));
            double total = 0;
            for (int source = from; source < to; source++) {
                total += triangle((source - center + 0.5) / filterScale);
            }
            first[out] = from;
            count[out] = to - from;
            for (int source = from; source < to; source++) {
                weights[out * stride + source - from] = (float) (triangle((source - center + 0.5) / filterScale) / total);
            }
        }
        return new AxisWeights(first, count, weights, stride);
    }

    /**
     * Resamples packed 0xRRGGBB pixels to {@code xs.length} x {@code ys.length} 8-bit values per channel,
     * mirrored left-right when asked, and writes {@code table[channel][value]} channel-major (CHW) at
     * {@code offset}.
     */
    static void resample(int[] pixels, int width, AxisWeights xs, AxisWeights ys, boolean mirror,
                         float[][] table, float[] out, int offset) {
        int outWidth = xs.first().length;
        int outHeight = ys.first().length;
        int rowStart = ys.sourceStart();
        int rows = ys.sourceEnd() - rowStart;
        float[] horizontal = new float[rows * outWidth * 3];
        for (int row = 0; row < rows; row++) {
            int rowOffset = (rowStart + row) * width;
            int target = row * outWidth * 3;
            for (int column = 0; column < outWidth; column++) {
                float red = 0;
                float green = 0;
                float blue = 0;
                int source = rowOffset + xs.first()[column];
                int weightOffset = column * xs.stride();
                for (int k = 0, n = xs.count()[column]; k < n; k++) {
                    int pixel = pixels[source + k];
                    float weight = xs.weights()[weightOffset + k];
                    red += ((pixel >> 16) & 0xFF) * weight;
                    green += ((pixel >> 8) & 0xFF) * weight;
                    blue += (pixel & 0xFF) * weight;
                }
                horizontal[target++] = toByte(red);
                horizontal[target++] = toByte(green);
                horizontal[target++] = toByte(blue);
            }
        }
        int plane = outWidth * outHeight;
        float[] redTable = table[0];
        float[] greenTable = table[1];
        float[] blueTable = table[2];
        for (int y = 0; y < outHeight; y++) {
            int firstRow = ys.first()[y] - rowStart;
            int n = ys.count()[y];
            int weightOffset = y * ys.stride();
            int outRow = offset + y * outWidth;
            for (int column = 0; column < outWidth; column++) {
                float red = 0;
                float green = 0;
                float blue = 0;
                int source = (firstRow * outWidth + column) * 3;
                for (int k = 0; k < n; k++) {
                    float weight = ys.weights()[weightOffset + k];
                    red += horizontal[source] * weight;
                    green += horizontal[source + 1] * weight;
                    blue += horizontal[source + 2] * weight;
                    source += outWidth * 3;
                }
                int target = outRow + (mirror ? outWidth - 1 - column : column);
                out[target] = redTable[toByte(red)];
                out[target + plane] = greenTable[toByte(green)];
                out[target + 2 * plane] = blueTable[toByte(blue)];
            }
        }
    }

    private static double triangle(double x) {
        double distance = Math.abs(x);
        return distance < 1.0 ? 1.0 - distance : 0.0;
    }

    private static int toByte(float value) {
        return Math.min(255, (int) (value + 0.5f));
    }
}
