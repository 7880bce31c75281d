package io.stagetune.common.registry;

/**
 * A worker's request about a stage's lease. {@code owner} names the worker; every call but the first acquisition
 * carries the {@code token} it was granted, and is refused (409) once another worker holds a newer token.
 *
 * @param ttlSeconds      how long the lease lives without renewal (acquisition and renewal), default 60
 * @param epoch           renewal only: the epoch whose checkpoint is now durable at {@code epochCheckpoint}
 * @param epochCheckpoint renewal only: the object-store folder of that epoch checkpoint
 * @param attempt         completion only: the object-store folder of the checkpoint this token trained
 */
public record LeaseRequest(String owner, Long token, Integer ttlSeconds, Integer epoch, String epochCheckpoint,
                           String attempt) {

    public static LeaseRequest acquire(String owner, int ttlSeconds) {
        return new LeaseRequest(owner, null, ttlSeconds, null, null, null);
    }

    public static LeaseRequest renew(String owner, long token, int ttlSeconds) {
        return new LeaseRequest(owner, token, ttlSeconds, null, null, null);
    }

    public static LeaseRequest epoch(String owner, long token, int ttlSeconds, int epoch, String epochCheckpoint) {
        return new LeaseRequest(owner, token, ttlSeconds, epoch, epochCheckpoint, null);
    }

    public static LeaseRequest complete(String owner, long token, String attempt) {
        return new LeaseRequest(owner, token, null, null, null, attempt);
    }

    public static LeaseRequest holder(String owner, long token) {
        return new LeaseRequest(owner, token, null, null, null, null);
    }
}
