package io.stagetune.trainer.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;

import java.util.Random;

/**
 * Epochs over backbone features computed once (see {@link FeatureCache}); only the head runs per step. The features
 * live on the primary's device and a step is one small matrix product, so these epochs train on the primary alone.
 */
final class CachedFeatureEpochData implements EpochData {

    private final StageModel model;
    private final FeatureCache training;
    private final FeatureCache validation;

    private CachedFeatureEpochData(StageModel model, FeatureCache training, FeatureCache validation) {
        this.model = model;
        this.training = training;
        this.validation = validation;
    }

    static CachedFeatureEpochData compute(StageModel model, LabelledImageSource training,
                                          LabelledImageSource validation, int batchSize,
                                          FeatureStore.Namespace store, PreprocessingPool pool) {
        FeatureCache trainingFeatures = FeatureCache.compute(model, training, batchSize, store, pool);
        try {
            return new CachedFeatureEpochData(model, trainingFeatures,
                    FeatureCache.compute(model, validation, batchSize, store, pool));
        } catch (RuntimeException e) {
            trainingFeatures.close();
            throw e;
        }
    }

    @Override
    public int trainingSize() {
        return training.size();
    }

    @Override
    public int validationSize() {
        return validation.size();
    }

    @Override
    public boolean dataParallel() {
        return false;
    }

    @Override
    public TrainingBatch trainingBatch(int[] order, int from, int to, Random random) {
        return new TrainingBatch() {
            @Override
            public int size() {
                return to - from;
            }

            @Override
            public NDList slice(NDManager manager, int sliceFrom, int sliceTo) {
                return training.batch(manager, order, from + sliceFrom, from + sliceTo);
            }
        };
    }

    @Override
    public NDArray trainingLogits(StageModel replica, NDArray inputs) {
        // A store without copies hands the head its own arrays, so gradients land where the optimizer looks.
        return replica.head().forward(new ParameterStore(inputs.getManager(), false), new NDList(inputs), true)
                .singletonOrThrow();
    }

    @Override
    public NDList validationBatch(NDManager manager, int[] order, int from, int to) {
        return validation.batch(manager, order, from, to);
    }

    @Override
    public NDArray validationLogits(NDArray inputs) {
        return model.head().forward(new ParameterStore(inputs.getManager(), false), new NDList(inputs), false)
                .singletonOrThrow();
    }

    @Override
    public void close() {
        try (validation) {
            training.close();
        }
    }
}
