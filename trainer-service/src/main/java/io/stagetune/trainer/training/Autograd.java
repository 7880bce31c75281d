package io.stagetune.trainer.training;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Records the calling thread's operations for the gradient, and runs the backward pass. libtorch keeps its grad
 * mode per thread, so every replica thread records its own shard. DJL's {@code GradientCollector} cannot serve
 * here: the PyTorch engine allows one open collector per JVM, and the replicas run backward at the same time.
 */
final class Autograd implements AutoCloseable {

    private final boolean previous;

    private Autograd() {
        previous = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
    }

    /** Records from now until {@link #close()}. */
    static Autograd record() {
        return new Autograd();
    }

    /** Adds d{@code loss}/d{@code parameter} to the gradient of every parameter that requires one. */
    void backward(NDArray loss) {
        try (NDArray seed = loss.onesLike()) {
            JniUtils.backward((PtNDArray) loss, (PtNDArray) seed, false, false);
        }
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
