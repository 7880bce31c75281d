package io.stagetune.common.image;

/** Bytes that are not a usable image, with a reason a caller can act on (and count) without parsing text. */
public class ImageDecodingException extends IllegalArgumentException {

    public enum Reason {
        /** Not an image at all, or a format other than PNG and JPEG. */
        NOT_IMAGE,
        /** A PNG or JPEG whose data is damaged or truncated. */
        CORRUPT,
        /** More pixels than allowed: refused from the header, before anything is decoded. */
        TOO_MANY_PIXELS
    }

    private final Reason reason;

    public ImageDecodingException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
