package io.stagetune.common.image;

/** One file cannot be ingested; the rest of the upload goes on. */
public class RejectedFileException extends Exception {

    private final String code;

    public RejectedFileException(String code, String reason) {
        super(reason, null, false, false);
        this.code = code;
    }

    /** Short stable reason code, e.g. {@code not-image}, used as a metric label. */
    public String code() {
        return code;
    }
}
