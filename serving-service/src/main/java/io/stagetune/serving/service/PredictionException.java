package io.stagetune.serving.service;

/** A request refused before any prediction: the status, a short stable code (a metric tag) and the reason. */
public class PredictionException extends RuntimeException {

    private final int status;
    private final String code;

    public PredictionException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
