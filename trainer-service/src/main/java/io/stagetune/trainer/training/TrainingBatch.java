package io.stagetune.trainer.training;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/** A prepared training batch, valid until the next one is asked for; replicas each take a slice of it. */
interface TrainingBatch {

    /** Examples in the batch. */
    int size();

    /** NDList(inputs, labels) of the batch's examples {@code [from, to)}, created in {@code manager} (its device). */
    NDList slice(NDManager manager, int from, int to);
}
