package io.stagetune.common.image;


import java.awt.image.BufferedImage;

/**
 * Decides whether bytes are an image the pipeline can train on, with the same decoder that training and
 * evaluation use: a PNG or JPEG (by content, not name), within the pixel limit (checked from the header, so a
 * decompression bomb is never expanded), and decodable to the end.
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
        BufferedImage image = decode(bytes);
        return new Image(format, image.getWidth(), image.getHeight());
    }

    /** The decoded image (as {@link Images#decode}), or the same rejection as {@link #inspect}. */
    public BufferedImage decode(byte[] bytes) throws RejectedFileException {
        if (ImageFormat.sniff(bytes) == null) {
            throw new RejectedFileException("not-image", "not a PNG or JPEG image");
        }
        try {
            return Images.decode(bytes, maxPixels);
        } catch (ImageDecodingException e) {
            String code = switch (e.reason()) {
                case NOT_IMAGE -> "not-image";
                case CORRUPT -> "corrupt";
                case TOO_MANY_PIXELS -> "too-many-pixels";
            };
            throw new RejectedFileException(code, e.getMessage());
        }
    }
}
