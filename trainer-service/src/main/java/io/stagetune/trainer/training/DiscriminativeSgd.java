package io.stagetune.trainer.training;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * SGD with momentum and one learning rate per parameter (discriminative learning rates), scaled by a step schedule,
 * over one or more replicas of the network.
 *
 * <p>A step adds up the replicas' gradients of each trained parameter on the primary's device (each replica's loss
 * is already weighted by its share of the batch, so the sum is the gradient of the whole batch's mean loss), then
 * applies the same update to every replica: DJL's fused SGD update ({@code sgdUpdate}, which also clears the
 * gradient) with a momentum buffer per replica. Identical inputs give identical updates, so the replicas stay
 * equal without copying weights, as in torch's DistributedDataParallel. Parameters are addressed by their
 * checkpoint names ({@link EpochSnapshot#namedParameters}), so momentum can be saved and restored.
 */
public final class DiscriminativeSgd {

    private final List<Group> groups = new ArrayList<>();
    private final Map<String, Group> byName = new LinkedHashMap<>();
    private final float momentum;
    private final float weightDecay;
    private float learningRateScale = 1f;

    /**
     * @param replicas      the network on each device; replica 0 is the primary
     * @param learningRates learning rate by checkpoint name of every parameter that requires a gradient
     */
    DiscriminativeSgd(List<StageModel> replicas, Map<String, Float> learningRates, float momentum,
                      float weightDecay) {
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        List<Map<String, Parameter>> named = replicas.stream().map(EpochSnapshot::namedParameters).toList();
        named.get(0).forEach((name, parameter) -> {
            if (!parameter.requiresGradient()) {
                return;
            }
            Float rate = learningRates.get(name);
            if (rate == null) {
                throw new IllegalArgumentException("no learning rate for trained parameter " + name);
            }
            List<NDArray> weights = named.stream().map(parameters -> parameters.get(name).getArray()).toList();
            Group group = new Group(rate, weights, new NDArray[weights.size()]);
            groups.add(group);
            byName.put(name, group);
        });
    }

    /** Multiplies every learning rate from now on (the step schedule's current factor). */
    public void setLearningRateScale(float scale) {
        this.learningRateScale = scale;
    }

    /** Updates every trained parameter of every replica from the replicas' summed gradients, and clears them. */
    void step() {
        for (Group group : groups) {
            if (group.learningRate == 0f) {
                // Trains nothing (a frozen BatchNorm weight under batchNorm=adapt): only clear its gradient.
                group.weights.forEach(weight -> JniUtils.zeroGrad((PtNDArray) weight));
                continue;
            }
            step(group, group.learningRate * learningRateScale);
        }
    }

    private void step(Group group, float learningRate) {
        List<NDArray> weights = group.weights;
        NDArray sum = weights.get(0).getGradient();
        try {
            Device primary = sum.getDevice();
            for (int i = 1; i < weights.size(); i++) {
                try (NDArray gradient = weights.get(i).getGradient()) {
                    withCopy(gradient, primary, sum::addi);
                }
            }
            // Replicas first: the primary's update clears its gradient, which is the sum.
            for (int i = 1; i < weights.size(); i++) {
                int replica = i;
                withCopy(sum, weights.get(i).getDevice(), local -> update(group, replica, local, learningRate));
            }
            update(group, 0, sum, learningRate);
        } finally {
            sum.close();
        }
    }

    /**
     * Hands {@code use} a copy of {@code array} on {@code device}, then frees it. A copy to another device gets a
     * new sub-manager of the array's manager from DJL; it is closed with the copy, or every step would leave one
     * per parameter behind.
     */
    private static void withCopy(NDArray array, Device device, Consumer<NDArray> use) {
        NDArray copy = array.toDevice(device, true);
        NDManager manager = copy.getManager();
        try {
            use.accept(copy);
        } finally {
            copy.close();
            if (manager != array.getManager()) {
                manager.close();
            }
        }
    }

    private void update(Group group, int replica, NDArray gradient, float learningRate) {
        NDArray weight = group.weights.get(replica);
        NDList inputs = new NDList(weight, gradient);
        if (momentum != 0f) {
            if (group.velocities[replica] == null) {
                group.velocities[replica] = weight.zerosLike();
            }
            inputs.add(group.velocities[replica]);
        }
        // rescale 1, no clipping (-1): DJL's Optimizer defaults
        weight.getNDArrayInternal().sgdUpdate(inputs, new NDList(weight), learningRate, weightDecay, 1f, -1f,
                momentum, true);
    }

    /** The primary's momentum buffer of a parameter, if it has been updated at least once. */
    public Optional<NDArray> velocity(String name) {
        Group group = byName.get(name);
        return group == null ? Optional.empty() : Optional.ofNullable(group.velocities[0]);
    }

    /** Restores a parameter's momentum buffer on every replica (copies of {@code values}). */
    void restoreVelocity(String name, float[] values, Shape shape) {
        Group group = byName.get(name);
        if (group == null) {
            return;
        }
        for (int i = 0; i < group.weights.size(); i++) {
            NDArray weight = group.weights.get(i);
            if (group.velocities[i] != null) {
                group.velocities[i].close();
            }
            // In the weight's manager: momentum lives as long as the network, not as long as a step.
            group.velocities[i] = weight.getManager().create(values, shape);
        }
    }

    /** A trained parameter across the replicas. */
    private record Group(float learningRate, List<NDArray> weights, NDArray[] velocities) {
    }
}
