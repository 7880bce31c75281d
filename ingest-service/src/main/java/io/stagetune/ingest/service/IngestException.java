package io.stagetune.ingest.service;

/** The request as a whole is refused (bad form, unsafe archive, over a limit); nothing of it is stored. */
public class IngestException extends RuntimeException {

    private final int status;

    public IngestException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static IngestException badRequest(String message) {
        return new IngestException(400, message);
    }

    public static IngestException tooLarge(String message) {
        return new IngestException(413, message);
    }

    public static IngestException unsupported(String message) {
        return new IngestException(415, message);
    }
}
