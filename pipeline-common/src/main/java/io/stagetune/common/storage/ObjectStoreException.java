package io.stagetune.common.storage;

/** A failed object-store operation, naming the bucket and key it concerned. */
public class ObjectStoreException extends RuntimeException {
    public ObjectStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
