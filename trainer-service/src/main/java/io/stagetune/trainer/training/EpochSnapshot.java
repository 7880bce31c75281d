package io.stagetune.trainer.training;

import io.stagetune.common.checkpoint.Safetensors;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A stage's state after an epoch, written on request as an epoch checkpoint:
 * <pre>
 *   current/backbone.pt, current/head.safetensors   the weights after this epoch (training resumes from them)
 *   best/backbone.pt, best/head.safetensors         the best epoch's weights so far
 *   optimizer.safetensors                           SGD momentum per trained parameter ("backbone.layer4.0.conv1.weight", "head.weight")
 *   progress.json                                   epoch, best epoch, early-stopping counter, history; written last
 * </pre>
 */
public final class EpochSnapshot {

    static final String CURRENT = "current";
    static final String BEST = "best";
    static final String OPTIMIZER_FILE = "optimizer.safetensors";
    static final String BACKBONE_PREFIX = "backbone.";
    static final String HEAD_PREFIX = "head.";

    private final StageModel model;
    private final DiscriminativeSgd optimizer;
    private final ModelWeights best;
    private final EpochProgress progress;

    EpochSnapshot(StageModel model, DiscriminativeSgd optimizer, ModelWeights best, EpochProgress progress) {
        this.model = model;
        this.optimizer = optimizer;
        this.best = best;
        this.progress = progress;
    }

    public EpochProgress progress() {
        return progress;
    }

    /** Writes the epoch checkpoint into {@code directory} (created if needed), {@code progress.json} last. */
    public void saveTo(Path directory) throws IOException {
        Files.createDirectories(directory);
        new ModelWeights(model.backboneTorchScript(), model.headWeights()).writeTo(directory.resolve(CURRENT));
        best.writeTo(directory.resolve(BEST));
        Map<String, Safetensors.Tensor> momentum = new LinkedHashMap<>();
        namedParameters(model).forEach((name, parameter) -> optimizer.velocity(name)
                .ifPresent(velocity -> momentum.put(name, tensor(velocity))));
        Safetensors.write(directory.resolve(OPTIMIZER_FILE), momentum, Map.of());
        progress.write(directory);
    }

    /** Every parameter of the model under its checkpoint name. */
    static Map<String, Parameter> namedParameters(StageModel model) {
        Map<String, Parameter> named = new LinkedHashMap<>();
        model.backboneParameters().forEach((name, parameter) -> named.put(BACKBONE_PREFIX + name, parameter));
        model.headParameters().forEach((name, parameter) -> named.put(HEAD_PREFIX + name, parameter));
        return named;
    }

    private static Safetensors.Tensor tensor(NDArray array) {
        return new Safetensors.Tensor(array.getShape().getShape(), array.toFloatArray());
    }
}
