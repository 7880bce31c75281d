package io.stagetune.trainer.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SGD with momentum and one learning rate per parameter (discriminative learning rates: a per-parameter tracker,
 * as in DJL's transfer-learning example), scaled by a step schedule.
 *
 * <p>It does what DJL's {@code Sgd} does (same fused native update), but keeps its momentum buffers reachable, so
 * an epoch checkpoint can save them and a resumed stage continues with the same momentum.
 */
public final class DiscriminativeSgd extends Optimizer implements AutoCloseable {

    private final ParameterTracker learningRates;
    private final float momentum;
    private final Map<String, NDArray> velocities = new ConcurrentHashMap<>();
    private volatile float learningRateScale = 1f;

    public DiscriminativeSgd(ParameterTracker learningRates, float momentum, float weightDecay) {
        super(new Builder().optWeightDecays(weightDecay));
        this.learningRates = learningRates;
        this.momentum = momentum;
    }

    /** Multiplies every learning rate from now on (the step schedule's current factor). */
    public void setLearningRateScale(float scale) {
        this.learningRateScale = scale;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        float learningRate = learningRates.getNewValue(parameterId, updateCount(parameterId)) * learningRateScale;
        NDList inputs = new NDList(weight, grad);
        if (momentum != 0f) {
            inputs.add(velocities.computeIfAbsent(parameterId, id -> detached(weight.zerosLike())));
        }
        weight.getNDArrayInternal().sgdUpdate(inputs, new NDList(weight), learningRate, getWeightDecay(),
                rescaleGrad, clipGrad, momentum, true);
    }

    /** The momentum buffer of a parameter, if it has been updated at least once. */
    public Optional<NDArray> velocity(String parameterId) {
        return Optional.ofNullable(velocities.get(parameterId));
    }

    /** Restores a parameter's momentum buffer (a copy of {@code velocity} is kept). */
    public void restoreVelocity(String parameterId, NDArray velocity) {
        NDArray previous = velocities.put(parameterId, detached(velocity.duplicate()));
        if (previous != null) {
            previous.close();
        }
    }

    @Override
    public void close() {
        velocities.values().forEach(NDArray::close);
        velocities.clear();
    }

    // Momentum lives as long as the optimizer, not as long as the manager of the step that created it.
    private static NDArray detached(NDArray array) {
        array.detach();
        return array;
    }

    private static final class Builder extends OptimizerBuilder<Builder> {
        @Override
        protected Builder self() {
            return this;
        }
    }
}
