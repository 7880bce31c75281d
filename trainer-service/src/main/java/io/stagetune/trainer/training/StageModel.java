package io.stagetune.trainer.training;

import io.stagetune.common.checkpoint.HeadWeights;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The network a stage trains: a TorchScript backbone (embedding network) followed by a linear head sized to the
 * labels. Owns the DJL {@link Model}, and with it every native resource of the network.
 */
public final class StageModel implements AutoCloseable {

    private final Model model;
    private final PtSymbolBlock backbone;
    private final Linear head;
    private final List<String> labels;
    private final ImageShape inputShape;
    private final int features;

    private StageModel(Model model, PtSymbolBlock backbone, Linear head, List<String> labels, ImageShape inputShape,
                       int features) {
        this.model = model;
        this.backbone = backbone;
        this.head = head;
        this.labels = List.copyOf(labels);
        this.inputShape = inputShape;
        this.features = features;
    }

    /**
     * Loads {@code backboneFile} with trainable parameters and adds a head for {@code labels}: rows of labels that
     * {@code parentHead} knows are copied from it, the others start from Xavier-initialised weights.
     */
    public static StageModel load(Path backboneFile, ImageShape inputShape, List<String> labels, HeadWeights parentHead)
            throws IOException {
        return load(backboneFile, inputShape, labels, parentHead, null);
    }

    /** As {@link #load(Path, ImageShape, List, HeadWeights)}, on {@code device} (null: the engine's default). */
    public static StageModel load(Path backboneFile, ImageShape inputShape, List<String> labels, HeadWeights parentHead,
                                  Device device) throws IOException {
        if (!Files.isRegularFile(backboneFile)) {
            throw new IOException("backbone " + backboneFile + " not found");
        }
        Model model = device == null ? Model.newInstance("stage", "PyTorch")
                : Model.newInstance("stage", device, "PyTorch");
        try {
            // Loaded through the engine rather than Model.load: a loaded PtModel unfreezes every parameter when a
            // trainer is created, which would undo the stage's freezing.
            PtSymbolBlock backbone = JniUtils.loadModule((PtNDManager) model.getNDManager(),
                    backboneFile.toAbsolutePath(), true, new String[0], new String[0], true);
            Linear head = Linear.builder().setUnits(labels.size()).build();
            head.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
            SequentialBlock network = new SequentialBlock().add(backbone).add(head);
            model.setBlock(network);
            network.initialize(model.getNDManager(), DataType.FLOAT32, batchShape(inputShape, 1));
            int features = Math.toIntExact(head.getParameters().get("weight").getArray().getShape().get(1));
            StageModel stageModel = new StageModel(model, backbone, head, labels, inputShape, features);
            if (parentHead != null) {
                stageModel.copyKnownRows(parentHead);
            }
            return stageModel;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    public Model model() {
        return model;
    }

    public Linear head() {
        return head;
    }

    public List<String> labels() {
        return labels;
    }

    public ImageShape inputShape() {
        return inputShape;
    }

    /** Size of the backbone's embedding, the head's input. */
    public int features() {
        return features;
    }

    /** The backbone's parameters by their TorchScript names ({@code layer4.0.conv1.weight}, ...). */
    public Map<String, Parameter> backboneParameters() {
        Map<String, Parameter> parameters = new LinkedHashMap<>();
        backbone.getParameters().forEach(pair -> parameters.put(pair.getValue().getName(), pair.getValue()));
        return parameters;
    }

    /** The head's parameters, {@code weight} and {@code bias}. */
    public Map<String, Parameter> headParameters() {
        Map<String, Parameter> parameters = new LinkedHashMap<>();
        head.getParameters().forEach(pair -> parameters.put(pair.getKey(), pair.getValue()));
        return parameters;
    }

    /**
     * Whether a backbone parameter belongs to a BatchNorm layer. ResNet convolutions have no bias, so a ResNet's
     * one-dimensional parameters are exactly its BatchNorm weights and biases.
     */
    public static boolean isBatchNorm(Parameter parameter) {
        return parameter.getArray().getShape().dimension() == 1;
    }

    /** Logits for a batch of preprocessed images, in inference mode. */
    public NDArray predict(NDArray images) {
        return model.getBlock().forward(new ParameterStore(images.getManager(), false), new NDList(images), false)
                .singletonOrThrow();
    }

    /** Backbone features for a batch of preprocessed images, in inference mode. */
    public NDArray embed(NDArray images) {
        return backbone.forward(new ParameterStore(images.getManager(), false), new NDList(images), false)
                .singletonOrThrow();
    }

    /**
     * The backbone as a TorchScript file's bytes, in inference mode, loadable by {@code torch.jit.load}.
     *
     * <p>A one-image inference forward comes first: it is the only way to put the module in inference mode that
     * keeps DJL's record of the module's mode true (calling the engine's mode switch directly would not).
     */
    public byte[] backboneTorchScript() {
        try (NDManager scratch = model.getNDManager().newSubManager()) {
            embed(scratch.zeros(batchShape(inputShape, 1)));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        JniUtils.writeModule(backbone, bytes, false);
        return bytes.toByteArray();
    }

    /** A copy of the head's current weights. */
    public HeadWeights headWeights() {
        return new HeadWeights(labels, features, headParameters().get("weight").getArray().toFloatArray(),
                headParameters().get("bias").getArray().toFloatArray());
    }

    /** Overwrites the head with {@code weights}, which must be for the same labels. */
    public void loadHead(HeadWeights weights) {
        if (!weights.labels().equals(labels) || weights.features() != features) {
            throw new IllegalArgumentException("head for " + weights.labels() + " x " + weights.features()
                    + " does not fit " + labels + " x " + features);
        }
        headParameters().get("weight").getArray().set(FloatBuffer.wrap(weights.weight()));
        headParameters().get("bias").getArray().set(FloatBuffer.wrap(weights.bias()));
    }

    /**
     * Overwrites every parameter with {@code source}'s (same backbone architecture and labels), through host memory:
     * meant for making a replica, not for every step.
     */
    void copyParametersFrom(StageModel source) {
        Map<String, Parameter> from = EpochSnapshot.namedParameters(source);
        EpochSnapshot.namedParameters(this).forEach((name, parameter) -> {
            Parameter original = from.get(name);
            if (original == null) {
                throw new IllegalArgumentException("parameter " + name + " is missing from the source network");
            }
            parameter.getArray().set(FloatBuffer.wrap(original.getArray().toFloatArray()));
        });
    }

    // The label set grows between runs: known labels keep what the parent learnt, new ones start fresh.
    private void copyKnownRows(HeadWeights parent) {
        if (parent.features() != features) {
            throw new IllegalArgumentException("parent head has " + parent.features() + " inputs, backbone gives "
                    + features);
        }
        HeadWeights current = headWeights();
        float[] weight = current.weight().clone();
        float[] bias = current.bias().clone();
        for (int row = 0; row < labels.size(); row++) {
            int parentRow = parent.labels().indexOf(labels.get(row));
            if (parentRow >= 0) {
                System.arraycopy(parent.weight(), parentRow * features, weight, row * features, features);
                bias[row] = parent.bias()[parentRow];
            }
        }
        loadHead(new HeadWeights(labels, features, weight, bias));
    }

    static Shape batchShape(ImageShape shape, int batch) {
        return new Shape(batch, shape.channels(), shape.height(), shape.width());
    }

    @Override
    public void close() {
        model.close();
    }
}
