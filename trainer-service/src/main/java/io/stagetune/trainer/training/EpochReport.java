package io.stagetune.trainer.training;

/**
 * What one epoch of a stage achieved.
 *
 * @param epoch           1-based epoch number
 * @param trainLoss       mean cross-entropy over the epoch's training images
 * @param trainAccuracy   accuracy on the (augmented) training images while training
 * @param valAccuracy     accuracy on the validation images after the epoch
 * @param imagesPerSecond training images per second of the training phase
 * @param durationMillis  the whole epoch, training and validation
 * @param best            whether this epoch has the best validation accuracy so far
 */
public record EpochReport(int epoch, double trainLoss, double trainAccuracy, double valAccuracy,
                          double imagesPerSecond, long durationMillis, boolean best) {
}
