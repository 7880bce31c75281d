package io.stagetune.registry.service;

/** A request the registry refuses, with the HTTP status and a message naming the item and the reason. */
public class RegistryException extends RuntimeException {

    private final int status;

    public RegistryException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static RegistryException badRequest(String message) {
        return new RegistryException(400, message);
    }

    public static RegistryException notFound(String message) {
        return new RegistryException(404, message);
    }

    public static RegistryException conflict(String message) {
        return new RegistryException(409, message);
    }
}
