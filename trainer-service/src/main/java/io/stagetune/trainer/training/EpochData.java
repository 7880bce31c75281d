package io.stagetune.trainer.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import java.util.Random;

/**
 * What an epoch feeds the network and through which part: images through the whole network, or cached backbone
 * features through the head alone. Batches are NDList(inputs, labels).
 */
interface EpochData extends AutoCloseable {

    int trainingSize();

    int validationSize();

    /** Whether training steps may be split across replicas on several devices. */
    boolean dataParallel();

    /** Training batch of examples {@code order[from..to)}; {@code random} drives augmentation. */
    TrainingBatch trainingBatch(int[] order, int from, int to, Random random);

    /** Logits of a training batch's inputs through {@code replica}, recorded for the gradient. */
    NDArray trainingLogits(StageModel replica, NDArray inputs);

    NDList validationBatch(NDManager manager, int[] order, int from, int to);

    /** Logits of a validation batch's inputs, in inference mode. */
    NDArray validationLogits(NDArray inputs);

    @Override
    void close();
}
