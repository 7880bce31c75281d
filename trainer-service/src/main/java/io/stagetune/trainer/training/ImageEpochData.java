package io.stagetune.trainer.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;

import java.util.Random;

/** Epochs over images through the whole network; the train transform augments every epoch afresh. */
final class ImageEpochData implements EpochData {

    private final StageModel model;
    private final LabelledImageSource training;
    private final LabelledImageSource validation;
    private final PrefetchingBatchAssembler trainingAssembler;
    private final BatchAssembler validationAssembler;

    ImageEpochData(StageModel model, LabelledImageSource training, LabelledImageSource validation, int batchSize,
                   PreprocessingPool pool) {
        this.model = model;
        this.training = training;
        this.validation = validation;
        this.trainingAssembler = new PrefetchingBatchAssembler(training, batchSize, pool);
        this.validationAssembler = new BatchAssembler(validation, batchSize, pool);
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
        return true;
    }

    @Override
    public TrainingBatch trainingBatch(int[] order, int from, int to, Random random) {
        return trainingAssembler.assemble(order, from, to, random);
    }

    @Override
    public NDArray trainingLogits(StageModel replica, NDArray inputs) {
        // A store without copies hands each block its own arrays, so gradients land on the replica's parameters.
        return replica.model().getBlock().forward(new ParameterStore(inputs.getManager(), false), new NDList(inputs),
                true).singletonOrThrow();
    }

    @Override
    public NDList validationBatch(NDManager manager, int[] order, int from, int to) {
        return validationAssembler.assemble(manager, order, from, to, null);
    }

    @Override
    public NDArray validationLogits(NDArray inputs) {
        return model.predict(inputs);
    }

    @Override
    public void close() {
        trainingAssembler.close();
    }
}
