package io.stagetune.common.registry;

/** Status of a run, and of each stage in its plan. */
public enum RunStatus {
    PENDING, RUNNING, COMPLETED, FAILED, SKIPPED, CANCELLED;

    public boolean terminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED || this == SKIPPED;
    }
}
