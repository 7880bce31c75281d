package io.stagetune.inference;

import io.stagetune.common.checkpoint.CheckpointManifest;
import io.stagetune.common.checkpoint.HeadWeights;
import io.stagetune.common.events.EventJson;
import io.stagetune.common.image.Preprocessing;
import io.stagetune.common.image.Preprocessor;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A checkpoint loaded for inference: the TorchScript backbone followed by the linear head of
 * {@code head.safetensors}, fed with the checkpoint's own preprocessing (eval transform). Owns every native
 * resource of the network; per-batch arrays live in a sub-manager closed after each batch. The evaluator and the
 * serving-service both load checkpoints through this class, so a served prediction is the evaluated one.
 *
 * <p>{@link #predict} and {@link #logits} run one batch at a time per instance. For concurrent forwards take one
 * {@link #newPredictor()} per thread, as DJL advises; the network's weights are shared and read-only.
 */
public final class CheckpointModel implements AutoCloseable {

    private final Model model;
    private final PtSymbolBlock backbone;
    private final NDArray weightTransposed;
    private final NDArray bias;
    private final List<String> labels;
    private final Preprocessor preprocessor;

    private CheckpointModel(Model model, PtSymbolBlock backbone, HeadWeights head, Preprocessing preprocessing) {
        this.model = model;
        this.backbone = backbone;
        NDManager manager = model.getNDManager();
        this.weightTransposed = manager.create(FloatBuffer.wrap(head.weight()),
                new Shape(head.classes(), head.features())).transpose();
        this.bias = manager.create(FloatBuffer.wrap(head.bias()), new Shape(head.classes()));
        this.labels = head.labels();
        this.preprocessor = new Preprocessor(preprocessing);
    }

    /** Loads a local checkpoint folder: {@code checkpoint.json}, {@code backbone.pt}, {@code head.safetensors}. */
    public static CheckpointModel load(Path folder) throws IOException {
        Path manifestFile = folder.resolve(CheckpointManifest.FILE);
        if (!Files.isRegularFile(manifestFile)) {
            throw new IOException(folder + " is not a complete checkpoint: no " + CheckpointManifest.FILE);
        }
        CheckpointManifest manifest = EventJson.readDocument(Files.readAllBytes(manifestFile),
                CheckpointManifest.class);
        HeadWeights head = HeadWeights.read(folder.resolve(CheckpointManifest.HEAD_FILE));
        if (!head.labels().equals(manifest.labels())) {
            throw new IOException(folder + ": head labels " + head.labels() + " differ from checkpoint labels "
                    + manifest.labels());
        }
        if (manifest.preprocessing() == null) {
            throw new IOException(folder + ": " + CheckpointManifest.FILE + " records no preprocessing");
        }
        return load(folder.resolve(CheckpointManifest.BACKBONE_FILE), head, manifest.preprocessing());
    }

    public static CheckpointModel load(Path backboneFile, HeadWeights head, Preprocessing preprocessing)
            throws IOException {
        if (!Files.isRegularFile(backboneFile)) {
            throw new IOException("backbone " + backboneFile + " not found");
        }
        Model model = Model.newInstance("checkpoint", "PyTorch");
        try {
            PtSymbolBlock backbone = JniUtils.loadModule((PtNDManager) model.getNDManager(),
                    backboneFile.toAbsolutePath(), true, new String[0], new String[0], false);
            model.setBlock(backbone);
            return new CheckpointModel(model, backbone, head, preprocessing);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** The head's labels: output i is labels[i]. */
    public List<String> labels() {
        return labels;
    }

    public Preprocessor preprocessor() {
        return preprocessor;
    }

    /** Predicted label indices of a batch of images, preprocessed here with the checkpoint's eval transform. */
    public int[] predict(List<BufferedImage> images) {
        int floats = preprocessor.outputLength();
        float[] inputs = new float[images.size() * floats];
        for (int i = 0; i < images.size(); i++) {
            preprocessor.evalTransform(images.get(i), inputs, i * floats);
        }
        return predict(inputs, images.size());
    }

    /** Predicted label indices of {@code count} images already preprocessed into {@code inputs} (NCHW). */
    public int[] predict(float[] inputs, int count) {
        float[][] logits = logits(inputs, count);
        int[] predicted = new int[count];
        for (int i = 0; i < count; i++) {
            predicted[i] = argMax(logits[i]);
        }
        return predicted;
    }

    /** Head outputs [count][classes] of {@code count} images already preprocessed into {@code inputs} (NCHW). */
    public float[][] logits(float[] inputs, int count) {
        int crop = preprocessor.preprocessing().crop();
        try (NDManager batch = model.getNDManager().newSubManager()) {
            NDArray images = batch.create(FloatBuffer.wrap(inputs, 0, count * preprocessor.outputLength()),
                    new Shape(count, 3, crop, crop));
            NDArray features = backbone.forward(new ParameterStore(batch, false), new NDList(images), false)
                    .singletonOrThrow();
            return head(features, count);
        }
    }

    /**
     * A DJL predictor over this network for one thread: its input is {@code count} images already preprocessed
     * (NCHW, exactly {@code count * preprocessor().outputLength()} floats), its output the head's outputs
     * [count][classes]. Close it before this model.
     */
    public Predictor<float[], float[][]> newPredictor() {
        return model.newPredictor(new HeadTranslator());
    }

    private float[][] head(NDArray features, int count) {
        int classes = labels.size();
        float[] values = features.matMul(weightTransposed).add(bias).toFloatArray();
        float[][] logits = new float[count][];
        for (int i = 0; i < count; i++) {
            logits[i] = Arrays.copyOfRange(values, i * classes, (i + 1) * classes);
        }
        return logits;
    }

    /** Preprocessed floats in, the backbone's forward by DJL, the head applied to its features. */
    private final class HeadTranslator implements Translator<float[], float[][]> {

        @Override
        public NDList processInput(TranslatorContext context, float[] inputs) {
            int crop = preprocessor.preprocessing().crop();
            int count = inputs.length / preprocessor.outputLength();
            context.setAttachment("count", count);
            return new NDList(context.getNDManager().create(FloatBuffer.wrap(inputs),
                    new Shape(count, 3, crop, crop)));
        }

        @Override
        public float[][] processOutput(TranslatorContext context, NDList features) {
            return head(features.singletonOrThrow(), (Integer) context.getAttachment("count"));
        }

        @Override
        public Batchifier getBatchifier() {
            // The input is a whole batch already.
            return null;
        }
    }

    /** The index of the first maximum, as torch.argmax. */
    public static int argMax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    @Override
    public void close() {
        model.close();
    }
}
