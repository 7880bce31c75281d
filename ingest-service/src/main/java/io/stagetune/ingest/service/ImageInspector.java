package io.stagetune.ingest.service;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;

/**
 * Decides whether bytes are an image the pipeline can train on: a PNG or JPEG (by signature), within the pixel
 * limit (checked from the header before anything is decoded, so a decompression bomb is never expanded), and
 * decodable to the end.
 */
public class ImageInspector {

    private final long maxPixels;

    public ImageInspector(long maxPixels) {
        this.maxPixels = maxPixels;
    }

    /** A decodable image's format and size. */
    public record Image(ImageFormat format, int width, int height) {
    }

    public Image inspect(byte[] bytes) throws RejectedFileException {
        ImageFormat format = ImageFormat.sniff(bytes);
        if (format == null) {
            throw new RejectedFileException("not-image", "not a PNG or JPEG image");
        }
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.name().toLowerCase(Locale.ROOT));
        if (!readers.hasNext()) {
            throw new IllegalStateException("no ImageIO reader for " + format);
        }
        ImageReader reader = readers.next();
        try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(input, true, true);
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            if (width <= 0 || height <= 0) {
                throw new RejectedFileException("corrupt", "corrupt " + format + ": size " + width + "x" + height);
            }
            if ((long) width * height > maxPixels) {
                throw new RejectedFileException("too-many-pixels", width + "x" + height + " = " + (long) width * height
                        + " pixels exceeds the limit of " + maxPixels + " (decompression bomb?)");
            }
            // The JPEG reader reports a truncated file as a warning and returns a grey-filled image.
            reader.addIIOReadWarningListener(new FailOnWarning());
            reader.read(0);
            return new Image(format, width, height);
        } catch (RejectedFileException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new RejectedFileException("corrupt", "corrupt " + format + ": " + describe(e));
        } finally {
            reader.dispose();
        }
    }

    private static String describe(Exception e) {
        Throwable cause = e instanceof CorruptImageWarning ? e : (e.getCause() != null ? e.getCause() : e);
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }

    private static final class FailOnWarning implements IIOReadWarningListener {
        @Override
        public void warningOccurred(ImageReader source, String warning) {
            throw new CorruptImageWarning(warning);
        }
    }

    private static final class CorruptImageWarning extends RuntimeException {
        CorruptImageWarning(String message) {
            super(message);
        }
    }
}
