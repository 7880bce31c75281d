package io.stagetune.evaluator.evaluation;

import io.stagetune.common.checkpoint.HeadWeights;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The reference CheckpointModel is checked against: DJL's standard inference path (Model.load, a Predictor with
 * a no-op translator) for the backbone, and the head applied in plain Java.
 */
final class DirectForward implements AutoCloseable {

    private final Model model;
    private final Predictor<NDList, NDList> predictor;

    DirectForward(Path backbone) throws Exception {
        String name = backbone.getFileName().toString();
        model = Model.newInstance("direct", "PyTorch");
        model.load(backbone.getParent(), name.substring(0, name.length() - ".pt".length()));
        predictor = model.newPredictor(new NoopTranslator());
    }

    float[][] features(float[] inputs, int count, int side) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList output = predictor.predict(new NDList(manager.create(FloatBuffer.wrap(inputs, 0, count * 3 * side
                    * side), new Shape(count, 3, side, side))));
            float[] flat = output.singletonOrThrow().toFloatArray();
            int width = flat.length / count;
            float[][] features = new float[count][];
            for (int i = 0; i < count; i++) {
                features[i] = Arrays.copyOfRange(flat, i * width, (i + 1) * width);
            }
            return features;
        }
    }

    static float[][] logits(float[][] features, HeadWeights head) {
        float[][] logits = new float[features.length][head.classes()];
        for (int i = 0; i < features.length; i++) {
            for (int c = 0; c < head.classes(); c++) {
                double sum = head.bias()[c];
                for (int f = 0; f < head.features(); f++) {
                    sum += (double) head.weight()[c * head.features() + f] * features[i][f];
                }
                logits[i][c] = (float) sum;
            }
        }
        return logits;
    }

    static int[] argMax(float[][] logits) {
        int[] best = new int[logits.length];
        for (int i = 0; i < logits.length; i++) {
            for (int c = 1; c < logits[i].length; c++) {
                if (logits[i][c] > logits[i][best[i]]) {
                    best[i] = c;
                }
            }
        }
        return best;
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }
}
