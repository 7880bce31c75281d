package io.stagetune.trainer.run;

import io.stagetune.common.events.StageCommand;

/** Where stage workers report a run's progress: the registry's run when it owns runs, nowhere otherwise. */
public interface RunProgress extends AutoCloseable {

    RunProgress NONE = new RunProgress() {
        @Override
        public void stageStarted(StageCommand command) {
        }

        @Override
        public void stageCompleted(StageCommand command, String checkpoint, double valAccuracy) {
        }

        @Override
        public void stageFailed(StageCommand command, String reason) {
        }
    };

    /** The stage is training (and the plan's earlier stages are done); recorded in the background. */
    void stageStarted(StageCommand command);

    /** Returns once the stage's completion (and the run's, after its last stage) is recorded. */
    void stageCompleted(StageCommand command, String checkpoint, double valAccuracy) throws InterruptedException;

    /** Returns once the stage's and the run's failure is recorded. */
    void stageFailed(StageCommand command, String reason) throws InterruptedException;

    @Override
    default void close() {
    }
}
