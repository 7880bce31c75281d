package io.stagetune.common.registry;

import io.stagetune.common.events.Stage;

import java.util.Map;

/** Changes a run's status and/or the status of some of its stages; absent fields stay as they are. */
public record RunUpdate(RunStatus status, Map<Stage, RunStatus> stages, String message) {
}
