package io.stagetune.common.image;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Decodes PNG and JPEG bytes into 8-bit RGB images, the one input the {@link Preprocessor} works on. */
public final class Images {

    /** About 200 MB as RGB ints; larger images are refused before their pixels are decoded. */
    public static final long DEFAULT_MAX_PIXELS = 50_000_000L;

    private static final Set<String> FORMATS = Set.of("png", "jpeg");

    private Images() {
    }

    public static BufferedImage decode(byte[] bytes) {
        return decode(bytes, DEFAULT_MAX_PIXELS);
    }

    /**
     * Decodes a PNG or JPEG image into a {@link BufferedImage#TYPE_INT_RGB} image (see {@link #toRgb}).
     *
     * @throws ImageDecodingException naming the reason when the bytes are empty, not a PNG or JPEG image,
     *                                  corrupt or truncated, or the image has more than {@code maxPixels} pixels
     */
    public static BufferedImage decode(byte[] bytes, long maxPixels) {
        if (bytes == null || bytes.length == 0) {
            throw new ImageDecodingException(ImageDecodingException.Reason.NOT_IMAGE, "not an image: no bytes", null);
        }
        ImageReader reader = readerFor(bytes);
        String format = formatName(reader).toUpperCase(Locale.ROOT);
        try (ImageInputStream in = open(bytes)) {
            reader.setInput(in, true, true);
            requireAtMost(maxPixels, reader, format);
            return toRgb(read(reader, format));
        } catch (IOException e) {
            throw corrupt(format, e);
        } finally {
            reader.dispose();
        }
    }

    private static void requireAtMost(long maxPixels, ImageReader reader, String format) {
        int width;
        int height;
        try {
            width = reader.getWidth(0);
            height = reader.getHeight(0);
        } catch (IOException | RuntimeException e) {
            throw corrupt(format, e);
        }
        if ((long) width * height > maxPixels) {
            throw new ImageDecodingException(ImageDecodingException.Reason.TOO_MANY_PIXELS, "image too large: "
                    + width + "x" + height + " pixels, the limit is " + maxPixels + " pixels", null);
        }
    }

    private static BufferedImage read(ImageReader reader, String format) {
        // The JPEG reader reports truncated or damaged data only as warnings and returns a partial image.
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        try {
            BufferedImage image = reader.read(0);
            if (!warnings.isEmpty()) {
                throw new IOException(String.join("; ", warnings));
            }
            return image;
        } catch (IOException | RuntimeException e) {
            // Damaged data makes some ImageIO decoders throw runtime exceptions rather than IIOException.
            throw corrupt(format, e);
        }
    }

    private static ImageDecodingException corrupt(String format, Exception e) {
        return new ImageDecodingException(ImageDecodingException.Reason.CORRUPT,
                "corrupt or truncated " + format + " image: " + reason(e), e);
    }

    /** Output levels 0..255 as themselves: resampling into this table yields 8-bit pixels, not network inputs. */
    private static final float[][] LEVELS = new float[3][256];

    static {
        for (float[] channel : LEVELS) {
            for (int level = 0; level < 256; level++) {
                channel[level] = level;
            }
        }
    }

    /**
     * The image scaled down, keeping its aspect ratio, so that its shorter side is {@code maxShortSide}; the same
     * image when that side is not longer already. Resampled as PIL resizes (bilinear, antialiased: see
     * {@link Preprocessor}), to {@code TYPE_INT_RGB}.
     */
    public static BufferedImage shrink(BufferedImage image, int maxShortSide) {
        if (maxShortSide < 1) {
            throw new IllegalArgumentException("maxShortSide must be positive: " + maxShortSide);
        }
        BufferedImage rgb = toRgb(image);
        int width = rgb.getWidth();
        int height = rgb.getHeight();
        if (Math.min(width, height) <= maxShortSide) {
            return rgb;
        }
        int newWidth = width <= height ? maxShortSide : Math.max(1, (int) ((long) maxShortSide * width / height));
        int newHeight = width <= height ? Math.max(1, (int) ((long) maxShortSide * height / width)) : maxShortSide;
        float[] planes = new float[3 * newWidth * newHeight];
        Resampler.resample(rgbPixels(rgb), width,
                Resampler.axis(0, width, (double) width / newWidth, 0, newWidth),
                Resampler.axis(0, height, (double) height / newHeight, 0, newHeight), false, LEVELS, planes, 0);
        BufferedImage shrunk = new BufferedImage(newWidth, newHeight, BufferedImage.TYPE_INT_RGB);
        int[] target = rgbPixels(shrunk);
        int plane = newWidth * newHeight;
        for (int i = 0; i < plane; i++) {
            target[i] = (int) planes[i] << 16 | (int) planes[plane + i] << 8 | (int) planes[2 * plane + i];
        }
        return shrunk;
    }

    /**
     * The image as 8-bit RGB, the same image when it already is a plain {@code TYPE_INT_RGB} one. Gray is
     * replicated to the three channels; alpha is dropped and a palette is looked up, as PIL's
     * {@code convert("RGB")} does in torchvision's loader, so both stacks see the same pixels.
     */
    public static BufferedImage toRgb(BufferedImage image) {
        if (isPlainIntRgb(image)) {
            return image;
        }
        int width = image.getWidth();
        int height = image.getHeight();
        BufferedImage rgb = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] target = ((DataBufferInt) rgb.getRaster().getDataBuffer()).getData();
        ColorModel colorModel = image.getColorModel();
        Raster raster = image.getRaster();
        if (colorModel instanceof ComponentColorModel && colorModel.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            // getRGB would treat Java's linear gray as linear light and brighten it; PNG/JPEG gray is not.
            int[] gray = raster.getSamples(0, 0, width, height, 0, (int[]) null);
            int maxValue = (1 << colorModel.getComponentSize(0)) - 1;
            for (int i = 0; i < gray.length; i++) {
                int value = maxValue == 255 ? gray[i] : (gray[i] * 255 + maxValue / 2) / maxValue;
                target[i] = value * 0x010101;
            }
        } else if (colorModel instanceof ComponentColorModel && colorModel.getColorSpace().isCS_sRGB()
                && colorModel.getComponentSize(0) == 8 && colorModel.getComponentSize(1) == 8
                && colorModel.getComponentSize(2) == 8) {
            int[] red = raster.getSamples(0, 0, width, height, 0, (int[]) null);
            int[] green = raster.getSamples(0, 0, width, height, 1, (int[]) null);
            int[] blue = raster.getSamples(0, 0, width, height, 2, (int[]) null);
            for (int i = 0; i < red.length; i++) {
                target[i] = red[i] << 16 | green[i] << 8 | blue[i];
            }
        } else {
            image.getRGB(0, 0, width, height, target, 0, width);
            for (int i = 0; i < target.length; i++) {
                target[i] &= 0xFFFFFF;
            }
        }
        return rgb;
    }

    /** The pixels of a {@link #toRgb} image as 0xRRGGBB, row-major; the image's own array, not a copy. */
    static int[] rgbPixels(BufferedImage rgbImage) {
        return ((DataBufferInt) rgbImage.getRaster().getDataBuffer()).getData();
    }

    private static boolean isPlainIntRgb(BufferedImage image) {
        Raster raster = image.getRaster();
        return image.getType() == BufferedImage.TYPE_INT_RGB
                && raster.getSampleModel() instanceof SinglePixelPackedSampleModel sampleModel
                && sampleModel.getScanlineStride() == image.getWidth()
                && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0
                && raster.getDataBuffer().getNumBanks() == 1 && raster.getDataBuffer().getOffset() == 0
                && raster.getDataBuffer().getSize() == image.getWidth() * image.getHeight();
    }

    /** In memory: ImageIO's own factory would buffer every decode through a temporary file. */
    private static ImageInputStream open(byte[] bytes) {
        return new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes));
    }

    private static ImageReader readerFor(byte[] bytes) {
        String other = null;
        try (ImageInputStream in = open(bytes)) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            while (readers.hasNext()) {
                ImageReader reader = readers.next();
                String format = formatName(reader);
                if (FORMATS.contains(format)) {
                    return reader;
                }
                other = format;
                reader.dispose();
            }
        } catch (IOException e) {
            throw new ImageDecodingException(ImageDecodingException.Reason.NOT_IMAGE,
                    "cannot read image bytes: " + reason(e), e);
        }
        throw new ImageDecodingException(ImageDecodingException.Reason.NOT_IMAGE, other == null
                ? "not an image: the bytes are neither PNG nor JPEG"
                : "unsupported image format " + other.toUpperCase(Locale.ROOT) + ", expected PNG or JPEG", null);
    }

    private static String formatName(ImageReader reader) {
        try {
            return reader.getFormatName().toLowerCase(Locale.ROOT);
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String reason(Exception e) {
        StringBuilder reason = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null) {
                reason.append(": ").append(cause.getMessage());
            }
        }
        return reason.toString();
    }
}
