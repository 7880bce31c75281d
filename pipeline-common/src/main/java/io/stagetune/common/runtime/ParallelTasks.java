package io.stagetune.common.runtime;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/** Index-wise work spread over the common fork-join pool, as a parallel stream does, with a safer failure. */
public final class ParallelTasks {

    private ParallelTasks() {
    }

    /**
     * Runs {@code task} for 0 .. count - 1 in parallel. A failure is thrown only once no task is running any more
     * (a parallel stream rethrows while its other tasks still run, and they would go on writing files after the
     * caller has failed); the tasks not started by then are skipped. The first failure is the one thrown.
     */
    public static void forEach(int count, IntConsumer task) {
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        IntStream.range(0, count).parallel().forEach(i -> {
            if (failure.get() != null) {
                return;
            }
            try {
                task.accept(i);
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            }
        });
        if (failure.get() != null) {
            throw failure.get();
        }
    }
}
