package io.stagetune.trainer.training;

import io.stagetune.common.checkpoint.HeadWeights;
import io.stagetune.common.checkpoint.Safetensors;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.loss.Loss;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Trains one stage of the fine-tuning recipe: freezes the backbone except the stage's prefixes, trains with SGD
 * and discriminative learning rates, validates after every epoch, keeps the best epoch's weights and stops early
 * when validation accuracy stops improving. Plain Java: no messaging, no storage.
 *
 * <p>On several devices ({@link StageRequest#devices()}) it trains data-parallel: a replica of the network per
 * device, each step's batch split between them, gradients summed and the same update applied to all
 * ({@link Replicas}). The first device's network is the one that is validated and saved. Epochs over cached
 * features train on the first device alone.
 */
public final class StageTrainer {

    private static final Loss LOSS = Loss.softmaxCrossEntropyLoss();

    /** Trains {@code request}'s stage (or resumes it) and returns the best epoch's weights. */
    public StageResult train(StageRequest request, EpochListener listener) throws IOException {
        // TorchScript's profiling executor re-specialises and recompiles the graph as training changes what it
        // profiled (gradients, the last batch's size): measured 30 s instead of 0.6 s for two tiny epochs. The
        // switch is per thread, so it is turned off for this thread's training only (after the engine has loaded
        // the native library).
        // Grad mode is per thread as well, and on by default on a new thread (a pool's thread may come from
        // anywhere): it is off for the whole stage, and only a training step records (Autograd). Validation and
        // feature extraction must not record, or saving their inference-mode outputs for a backward pass fails.
        Engine.getEngine("PyTorch");
        JniUtils.setGraphExecutorOptimize(false);
        boolean recording = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            return trainWithoutGraphOptimizer(request, listener);
        } finally {
            JniUtils.setGradMode(recording);
            JniUtils.setGraphExecutorOptimize(true);
        }
    }

    private StageResult trainWithoutGraphOptimizer(StageRequest request, EpochListener listener) throws IOException {
        StageHyperparameters hyperparameters = request.hyperparameters();
        Engine.getInstance().setRandomSeed((int) hyperparameters.seed());
        StartingPoint start = StartingPoint.of(request);
        List<Device> devices = request.devices();
        try (StageModel model = StageModel.load(start.backbone(), request.training().shape(), request.labels(),
                start.head(), devices.get(0))) {
            applyTrainability(model, hyperparameters);
            try (PreprocessingPool pool = new PreprocessingPool(request.resolvedPreprocessingThreads());
                 EpochData data = epochData(model, request, request.backbone(), pool);
                 Replicas replicas = Replicas.of(model, data.dataParallel() ? devices : devices.subList(0, 1),
                         start.backbone(), replica -> applyTrainability(replica, hyperparameters))) {
                DiscriminativeSgd optimizer = new DiscriminativeSgd(replicas.models(),
                        learningRates(model, hyperparameters), hyperparameters.momentum(),
                        hyperparameters.weightDecay());
                if (request.resumeFrom() != null) {
                    restoreMomentum(request.resumeFrom(), optimizer);
                }
                return runEpochs(request, model, optimizer, replicas, data, start, listener);
            }
        }
    }

    private StageResult runEpochs(StageRequest request, StageModel model, DiscriminativeSgd optimizer,
                                  Replicas replicas, EpochData data, StartingPoint start, EpochListener listener)
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
            TrainingTotals totals;
            double valAccuracy;
            try {
                totals = trainEpoch(replicas, optimizer, data, hyperparameters.batchSize(), random);
                valAccuracy = validate(model.model().getNDManager(), data, hyperparameters.batchSize());
            } catch (TrainingDivergedException e) {
                throw new TrainingDivergedException(request.stage() + " epoch " + epoch + ": " + e.getMessage()
                        + "; a learning rate too high for the data, or, on a CPU, libtorch's oneDNN kernels "
                        + "(see TRAINING.md, Troubleshooting)");
            }
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

    static TrainingTotals trainEpoch(Replicas replicas, DiscriminativeSgd optimizer, EpochData data, int batchSize,
                                     Random random) {
        int[] order = BatchAssembler.shuffled(data.trainingSize(), random);
        TrainingTotals totals = new TrainingTotals();
        long began = System.nanoTime();
        for (int from = 0; from < order.length; from += batchSize) {
            int to = Math.min(from + batchSize, order.length);
            TrainingBatch batch = data.trainingBatch(order, from, to, random);
            Replicas.ShardTotals step = replicas.forwardBackward(batch, (replica, shard, share) -> {
                try (Autograd autograd = Autograd.record()) {
                    NDArray logits = data.trainingLogits(replica, shard.get(0));
                    NDArray loss = LOSS.evaluate(new NDList(shard.get(1)), new NDList(logits));
                    // Each shard's mean loss weighted by its share: the gradients add up to the whole batch's.
                    autograd.backward(share == 1f ? loss : loss.mul(share));
                    return new Replicas.ShardTotals((double) loss.getFloat() * shard.get(1).size(),
                            correct(logits, shard.get(1)));
                }
            });
            if (!Double.isFinite(step.lossSum())) {
                // Checked before the update, so the weights that produced it are not made worse.
                throw new TrainingDivergedException("the loss of the step on images " + from + ".." + (to - 1)
                        + " of the epoch's order is " + step.lossSum() / (to - from));
            }
            optimizer.step();
            totals.add(step.lossSum(), step.correct(), to - from);
        }
        totals.finish(System.nanoTime() - began);
        return totals;
    }

    private static double validate(NDManager parent, EpochData data, int batchSize) {
        int[] order = BatchAssembler.identity(data.validationSize());
        long correct = 0;
        for (int from = 0; from < order.length; from += batchSize) {
            int to = Math.min(from + batchSize, order.length);
            try (NDManager step = parent.newSubManager()) {
                NDList batch = data.validationBatch(step, order, from, to);
                NDArray logits = data.validationLogits(batch.get(0));
                // A last step whose loss was finite may still have applied non-finite gradients.
                if (!Float.isFinite(logits.sum().getFloat())) {
                    throw new TrainingDivergedException("the network's outputs on validation images " + from + ".."
                            + (to - 1) + " are not finite");
                }
                correct += correct(logits, batch.get(1));
            }
        }
        return (double) correct / order.length;
    }

    private static long correct(NDArray logits, NDArray labels) {
        return logits.argMax(1).toType(DataType.FLOAT32, false).eq(labels).toType(DataType.INT64, false)
                .sum().getLong();
    }

    private static EpochData epochData(StageModel model, StageRequest request, Path backbone, PreprocessingPool pool)
            throws IOException {
        StageHyperparameters hyperparameters = request.hyperparameters();
        if (hyperparameters.usesFeatureCache()) {
            return CachedFeatureEpochData.compute(model, request.training(), request.validation(),
                    hyperparameters.batchSize(), featureStore(request, backbone), pool);
        }
        return new ImageEpochData(model, request.training(), request.validation(), hyperparameters.batchSize(),
                pool);
    }

    /** Where the stage's features are kept beyond it: when it has a store and its images have keys. */
    private static FeatureStore.Namespace featureStore(StageRequest request, Path backbone) throws IOException {
        String transform = request.training().evalTransformId();
        if (request.featureStore() == null || transform == null
                || !transform.equals(request.validation().evalTransformId())) {
            return null;
        }
        return request.featureStore().namespace(backbone, transform);
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

    /** Learning rate by checkpoint name: the head's, the backbone's for unfrozen parameters, 0 for the rest. */
    private static Map<String, Float> learningRates(StageModel model, StageHyperparameters hyperparameters) {
        Map<String, Float> rates = new HashMap<>();
        model.backboneParameters().forEach((name, parameter) -> rates.put(EpochSnapshot.BACKBONE_PREFIX + name,
                hyperparameters.trains(name) ? hyperparameters.backboneLearningRate() : 0f));
        model.headParameters().keySet().forEach(name -> rates.put(EpochSnapshot.HEAD_PREFIX + name,
                hyperparameters.headLearningRate()));
        return rates;
    }

    private static boolean adaptsStatistics(Parameter parameter, StageHyperparameters hyperparameters) {
        return hyperparameters.batchNorm() == BatchNormPolicy.ADAPT && StageModel.isBatchNorm(parameter);
    }

    private static boolean backboneIsFixed(StageHyperparameters hyperparameters) {
        return hyperparameters.trainablePrefixes().isEmpty() && hyperparameters.batchNorm() == BatchNormPolicy.FROZEN;
    }

    private static void restoreMomentum(Path checkpoint, DiscriminativeSgd optimizer) throws IOException {
        Safetensors.read(checkpoint.resolve(EpochSnapshot.OPTIMIZER_FILE)).tensors().forEach((name, velocity) ->
                optimizer.restoreVelocity(name, velocity.values(), new Shape(velocity.shape())));
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
    static final class TrainingTotals {
        private double lossSum;
        private long correct;
        private long images;
        private long nanos;

        void add(double batchLossSum, long batchCorrect, int batchImages) {
            lossSum += batchLossSum;
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
