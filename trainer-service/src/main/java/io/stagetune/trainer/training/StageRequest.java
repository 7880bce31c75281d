package io.stagetune.trainer.training;

import io.stagetune.common.events.Stage;

import ai.djl.Device;
import ai.djl.engine.Engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One stage to train.
 *
 * @param stage           the stage (names the run's step; what it unfreezes comes from the hyperparameters)
 * @param backbone        TorchScript embedding network to start from: the base backbone for the plan's first stage,
 *                        the parent checkpoint's {@code backbone.pt} for later ones
 * @param parentHead      the parent checkpoint's {@code head.safetensors}, or null for a fresh head
 * @param labels          the ordered label list; the sources' label indices refer to it
 * @param hyperparameters learning rates, epochs, unfrozen prefixes, ...; resolved for the number of training
 *                        images ({@link StageHyperparameters#forTrainingImages}): the epochs the rule chooses
 * @param training        training images (augmented by the source's train transform)
 * @param validation      validation images (eval transform), for early stopping and the best epoch
 * @param resumeFrom      an epoch checkpoint written by {@link EpochSnapshot#saveTo} to resume from, or null
 * @param devices         where to train: one device, or several for data-parallel training (the first one holds the
 *                        network that is validated and saved); empty means the engine's default device
 * @param featureStore    where frozen-backbone features outlive the stage (HEAD with the feature cache), or null
 * @param preprocessingThreads threads that prepare a batch (read, augment, normalise); 0 chooses: one when the
 *                        stage trains on the CPU, whose cores libtorch uses, else every core but one
 */
public record StageRequest(Stage stage, Path backbone, Path parentHead, List<String> labels,
                           StageHyperparameters hyperparameters, LabelledImageSource training,
                           LabelledImageSource validation, Path resumeFrom, List<Device> devices,
                           FeatureStore featureStore, int preprocessingThreads) {

    public StageRequest {
        devices = devices == null || devices.isEmpty() ? List.of(Engine.getEngine("PyTorch").defaultDevice())
                : List.copyOf(devices);
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(backbone, "backbone");
        Objects.requireNonNull(hyperparameters, "hyperparameters");
        labels = List.copyOf(labels);
        if (labels.size() < 2) {
            throw new IllegalArgumentException("a classifier needs at least two labels, got " + labels);
        }
        if (training.size() == 0 || validation.size() == 0) {
            throw new IllegalArgumentException("training and validation images must not be empty");
        }
        hyperparameters = hyperparameters.forTrainingImages(training.size());
        if (preprocessingThreads < 0) {
            throw new IllegalArgumentException("preprocessing threads must be 0 (automatic) or more, got "
                    + preprocessingThreads);
        }
        if (!training.shape().equals(validation.shape())) {
            throw new IllegalArgumentException("training images are " + training.shape() + ", validation images "
                    + validation.shape());
        }
    }

    /** A fresh stage with the recipe's defaults for {@code stage}. */
    public static StageRequest of(Stage stage, Path backbone, List<String> labels, LabelledImageSource training,
                                  LabelledImageSource validation) {
        return new StageRequest(stage, backbone, null, labels, StageHyperparameters.forStage(stage), training,
                validation, null, List.of(), null, 0);
    }

    public StageRequest withParentHead(Path head) {
        return new StageRequest(stage, backbone, head, labels, hyperparameters, training, validation, resumeFrom,
                devices, featureStore, preprocessingThreads);
    }

    public StageRequest withHyperparameters(StageHyperparameters values) {
        return new StageRequest(stage, backbone, parentHead, labels, values, training, validation, resumeFrom,
                devices, featureStore, preprocessingThreads);
    }

    public StageRequest resumingFrom(Path epochCheckpoint) {
        return new StageRequest(stage, backbone, parentHead, labels, hyperparameters, training, validation,
                epochCheckpoint, devices, featureStore, preprocessingThreads);
    }

    /** Trains on {@code where}: several devices train data-parallel. */
    public StageRequest onDevices(List<Device> where) {
        return new StageRequest(stage, backbone, parentHead, labels, hyperparameters, training, validation,
                resumeFrom, where, featureStore, preprocessingThreads);
    }

    /** Keeps HEAD's frozen-backbone features in {@code store} for later stages and runs. */
    public StageRequest withFeatureStore(FeatureStore store) {
        return new StageRequest(stage, backbone, parentHead, labels, hyperparameters, training, validation,
                resumeFrom, devices, store, preprocessingThreads);
    }

    /** Prepares batches with {@code threads} threads (0 chooses, see {@link #preprocessingThreads}). */
    public StageRequest withPreprocessingThreads(int threads) {
        return new StageRequest(stage, backbone, parentHead, labels, hyperparameters, training, validation,
                resumeFrom, devices, featureStore, threads);
    }

    /** The threads that prepare batches: as asked, or chosen by where the stage trains. */
    public int resolvedPreprocessingThreads() {
        if (preprocessingThreads > 0) {
            return preprocessingThreads;
        }
        boolean gpus = devices.stream().anyMatch(Device::isGpu);
        return gpus ? Math.max(1, Runtime.getRuntime().availableProcessors() - 1) : 1;
    }
}
