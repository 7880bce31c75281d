package io.stagetune.common.image;

/** The image formats the pipeline accepts, recognised by their leading bytes rather than their file names. */
public enum ImageFormat {
    PNG("png", "image/png"),
    JPEG("jpg", "image/jpeg");

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private final String extension;
    private final String contentType;

    ImageFormat(String extension, String contentType) {
        this.extension = extension;
        this.contentType = contentType;
    }

    public String extension() {
        return extension;
    }

    public String contentType() {
        return contentType;
    }

    /** The format whose signature starts {@code bytes}, or null. */
    public static ImageFormat sniff(byte[] bytes) {
        if (bytes.length >= PNG_SIGNATURE.length) {
            boolean png = true;
            for (int i = 0; i < PNG_SIGNATURE.length && png; i++) {
                png = bytes[i] == PNG_SIGNATURE[i];
            }
            if (png) {
                return PNG;
            }
        }
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xd8 && (bytes[2] & 0xff) == 0xff) {
            return JPEG;
        }
        return null;
    }
}
