package io.stagetune.trainer.training;

import io.stagetune.common.checkpoint.HeadWeights;
import io.stagetune.common.checkpoint.Safetensors;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.tracker.FixedPerVarTracker;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * Trains one stage of the fine-tuning recipe: freezes the backbone except the stage's prefixes, trains with SGD
 * and discriminative learning rates, validates after every epoch, keeps the best epoch's weights and stops early
 * when validation accuracy stops improving. Plain Java: no messaging, no storage.
 */
public final class StageTrainer {

    /** Trains {@code request}'s stage (or resumes it) and returns the best epoch's weights. */
    public StageResult train(StageRequest request, EpochListener listener) throws IOException {
        // TorchScript's profiling executor re-specialises and recompiles the graph as training changes what it
        // profiled (gradients, the last batch's size): measured 30 s instead of 0.6 s for two tiny epochs. The
        // switch is per thread, so it is turned off for this thread's training only (after the engine has loaded
        // the native library).
        Engine.getEngine("PyTorch");
        JniUtils.setGraphExecutorOptimize(false);
        try {
            return trainWithoutGraphOptimizer(request, listener);
        } finally {
            JniUtils.setGraphExecutorOptimize(true);
        }
    }

    private StageResult trainWithoutGraphOptimizer(StageRequest request, EpochListener listener) throws IOException {
        StageHyperparameters hyperparameters = request.hyperparameters();
        Engine.getInstance().setRandomSeed((int) hyperparameters.seed());
        StartingPoint start = StartingPoint.of(request);
        try (StageModel model = StageModel.load(start.backbone(), request.training().shape(), request.labels(),
                start.head())) {
            applyTrainability(model, hyperparameters);
            try (DiscriminativeSgd optimizer = new DiscriminativeSgd(learningRates(model, hyperparameters),
                    hyperparameters.momentum(), hyperparameters.weightDecay());
                 Trainer trainer = model.model().newTrainer(
                         new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(optimizer))) {
                trainer.initialize(StageModel.batchShape(request.training().shape(), 1));
                if (request.resumeFrom() != null) {
                    restoreMomentum(request.resumeFrom(), model, optimizer, trainer.getManager());
                }
                try (EpochData data = epochData(model, request, trainer.getManager())) {
                    return runEpochs(request, model, optimizer, trainer, data, start, listener);
                }
            }
        }
    }

    private StageResult runEpochs(StageRequest request, StageModel model, DiscriminativeSgd optimizer,
                                  Trainer trainer, EpochData data, StartingPoint start, EpochListener listener)
            throws IOException {
        StageHyperparameters hyperparameters = request.hyperparameters();
        EpochProgress progress = start.progress();
        ModelWeights best = start.best();
        // A backbone that is a fixed function is serialised once, not at every better epoch.
        byte[] fixedBackbone = backboneIsFixed(hyperparameters) ? model.backboneTorchScript() : null;
        while (!progress.finished()) {
            int epoch = progress.epoch() + 1;
            long began = System.nanoTime();
            optimizer.setLearningRateScale(hyperparameters.learningRateScale(epoch));
            // Seeded per epoch, so a resumed stage shuffles and augments exactly as an uninterrupted one.
            Random random = new Random(hyperparameters.seed() * 1_000_003L + epoch);
            TrainingTotals totals = trainEpoch(trainer, data, hyperparameters.batchSize(), random);
            double valAccuracy = validate(trainer.getManager(), data, hyperparameters.batchSize());
            boolean better = valAccuracy > progress.bestValAccuracy();
            EpochReport report = new EpochReport(epoch, totals.meanLoss(), totals.accuracy(), valAccuracy,
                    totals.imagesPerSecond(), (System.nanoTime() - began) / 1_000_000, better);
            progress = progress.after(report, hyperparameters.patience(), hyperparameters.maxEpochs());
            if (better) {
                best = new ModelWeights(fixedBackbone != null ? fixedBackbone : model.backboneTorchScript(),
                        model.headWeights());
            }
            listener.epochCompleted(report, new EpochSnapshot(model, optimizer, best, progress));
        }
        if (best == null) {
            throw new IllegalStateException("stage finished without a completed epoch");
        }
        return new StageResult(request.stage(), best, progress, hyperparameters);
    }

    private static TrainingTotals trainEpoch(Trainer trainer, EpochData data, int batchSize, Random random) {
        int[] order = BatchAssembler.shuffled(data.trainingSize(), random);
        TrainingTotals totals = new TrainingTotals();
        long began = System.nanoTime();
        for (int from = 0; from < order.length; from += batchSize) {
            int to = Math.min(from + batchSize, order.length);
            try (NDManager step = trainer.getManager().newSubManager()) {
                NDList batch = data.trainingBatch(step, order, from, to, random);
                try (GradientCollector collector = trainer.newGradientCollector()) {
                    NDArray logits = data.trainingLogits(trainer, batch.get(0));
                    NDArray loss = trainer.getLoss().evaluate(new NDList(batch.get(1)), new NDList(logits));
                    collector.backward(loss);
                    totals.add(loss.getFloat(), correct(logits, batch.get(1)), to - from);
                }
                trainer.step();
            }
        }
        totals.finish(System.nanoTime() - began);
        return totals;
    }

    private static double validate(NDManager parent, EpochData data, int batchSize) {
        int[] order = BatchAssembler.identity(data.validationSize());
        long correct = 0;
        for (int from = 0; from < order.length; from += batchSize) {
            try (NDManager step = parent.newSubManager()) {
                NDList batch = data.validationBatch(step, order, from, Math.min(from + batchSize, order.length));
                correct += correct(data.validationLogits(batch.get(0)), batch.get(1));
            }
        }
        return (double) correct / order.length;
    }

    private static long correct(NDArray logits, NDArray labels) {
        return logits.argMax(1).toType(DataType.FLOAT32, false).eq(labels).toType(DataType.INT64, false)
                .sum().getLong();
    }

    private static EpochData epochData(StageModel model, StageRequest request, NDManager manager) {
        StageHyperparameters hyperparameters = request.hyperparameters();
        if (hyperparameters.usesFeatureCache()) {
            return CachedFeatureEpochData.compute(model, request.training(), request.validation(),
                    hyperparameters.batchSize(), manager);
        }
        return new ImageEpochData(model, request.training(), request.validation(), hyperparameters.batchSize());
    }

    /**
     * Freezes every backbone parameter the stage does not train. Under {@link BatchNormPolicy#ADAPT} frozen
     * BatchNorm weights "require gradients" too (the exported BatchNorm decides its mode from that) and get
     * learning rate 0 instead, so their statistics adapt while their weights stay.
     */
    static void applyTrainability(StageModel model, StageHyperparameters hyperparameters) {
        model.backboneParameters().forEach((name, parameter) -> parameter.freeze(
                !(hyperparameters.trains(name) || adaptsStatistics(parameter, hyperparameters))));
        model.headParameters().values().forEach(parameter -> parameter.freeze(false));
    }

    private static FixedPerVarTracker learningRates(StageModel model, StageHyperparameters hyperparameters) {
        FixedPerVarTracker.Builder rates = FixedPerVarTracker.builder()
                .setDefaultValue(hyperparameters.headLearningRate());
        model.backboneParameters().forEach((name, parameter) -> rates.put(parameter.getId(),
                hyperparameters.trains(name) ? hyperparameters.backboneLearningRate() : 0f));
        return rates.build();
    }

    private static boolean adaptsStatistics(Parameter parameter, StageHyperparameters hyperparameters) {
        return hyperparameters.batchNorm() == BatchNormPolicy.ADAPT && StageModel.isBatchNorm(parameter);
    }

    private static boolean backboneIsFixed(StageHyperparameters hyperparameters) {
        return hyperparameters.trainablePrefixes().isEmpty() && hyperparameters.batchNorm() == BatchNormPolicy.FROZEN;
    }

    private static void restoreMomentum(Path checkpoint, StageModel model, DiscriminativeSgd optimizer,
                                        NDManager manager) throws IOException {
        Map<String, Safetensors.Tensor> momentum =
                Safetensors.read(checkpoint.resolve(EpochSnapshot.OPTIMIZER_FILE)).tensors();
        EpochSnapshot.namedParameters(model).forEach((name, parameter) -> {
            Safetensors.Tensor velocity = momentum.get(name);
            if (velocity != null) {
                try (NDArray array = manager.create(velocity.values(),
                        new Shape(velocity.shape()))) {
                    optimizer.restoreVelocity(parameter.getId(), array);
                }
            }
        });
    }

    /** Where a stage starts: from its inputs, or from an epoch checkpoint when it resumes. */
    private record StartingPoint(Path backbone, HeadWeights head, EpochProgress progress, ModelWeights best) {

        static StartingPoint of(StageRequest request) throws IOException {
            Path resume = request.resumeFrom();
            if (resume == null) {
                HeadWeights parentHead = request.parentHead() == null ? null : HeadWeights.read(request.parentHead());
                return new StartingPoint(request.backbone(), parentHead, EpochProgress.start(), null);
            }
            EpochProgress progress = EpochProgress.read(resume);
            Path current = resume.resolve(EpochSnapshot.CURRENT);
            return new StartingPoint(current.resolve(ModelWeights.BACKBONE_FILE),
                    HeadWeights.read(current.resolve(HeadWeights.FILE_NAME)), progress,
                    ModelWeights.readFrom(resume.resolve(EpochSnapshot.BEST)));
        }
    }

    /** Running sums of a training phase. */
    private static final class TrainingTotals {
        private double lossSum;
        private long correct;
        private long images;
        private long nanos;

        void add(float meanLoss, long batchCorrect, int batchImages) {
            lossSum += (double) meanLoss * batchImages;
            correct += batchCorrect;
            images += batchImages;
        }

        void finish(long elapsedNanos) {
            nanos = elapsedNanos;
        }

        double meanLoss() {
            return lossSum / images;
        }

        double accuracy() {
            return (double) correct / images;
        }

        double imagesPerSecond() {
            return images / (nanos / 1e9);
        }
    }
}
