package io.stagetune.trainer.training;

/**
 * How BatchNorm layers in the frozen part of the backbone behave while a stage trains.
 *
 * <p>Exported backbones use a BatchNorm that normalises with batch statistics only when the module is in
 * training mode AND its weight requires gradients (scripts/export_backbone.py). DJL switches a whole TorchScript
 * module's mode at once, so this per-layer rule is what lets frozen parts stay in inference mode. See
 * trainer-service/TRAINING.md for the measurement behind the default.
 */
public enum BatchNormPolicy {
    /**
     * Frozen BatchNorm layers stay in inference mode: running statistics are used and never change (Keras'
     * advice for fine-tuning). The frozen part is a fixed function, so HEAD can cache its features.
     */
    FROZEN,
    /**
     * Frozen BatchNorm layers adapt to the new data: they normalise with batch statistics and update their
     * running statistics, while their affine weights stay fixed (learning rate 0). Like fastai's
     * {@code train_bn}, minus training the affine weights. Costs a backward pass through the frozen part.
     */
    ADAPT
}
