package io.stagetune.trainer.training;

import io.stagetune.common.events.Stage;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything that tunes one stage. Defaults follow the classic PyTorch transfer-learning recipe
 * (docs/architecture.md, "Stages"); a {@code StageCommand}'s hyperparameter map overrides them by field name.
 *
 * @param trainablePrefixes     backbone parameter-name prefixes this stage unfreezes ({@code ""} = all); the head always trains
 * @param headLearningRate      learning rate of the linear head
 * @param backboneLearningRate  learning rate of the unfrozen backbone parameters (discriminative rates)
 * @param momentum              SGD momentum
 * @param weightDecay           L2 weight decay of every trained parameter
 * @param batchSize             images per step
 * @param maxEpochs             epochs at most: the upper bound of the epoch rule, or the epochs when the rule is off
 * @param patience              epochs without a better validation accuracy before stopping early
 * @param seed                  seeds the head's initial weights, shuffling and augmentation
 * @param batchNorm             behaviour of BatchNorm layers in frozen parts
 * @param featureCache          when nothing in the backbone trains: compute its features once and train the head on them
 * @param learningRateStepEpochs multiply learning rates by {@code learningRateStepFactor} every this many epochs; 0 = never
 * @param learningRateStepFactor the step schedule's factor (StepLR's gamma)
 * @param minEpochs             the lower bound of the epoch rule
 * @param referenceImages       the epoch rule's reference number of training images
 * @param referenceEpochs       the epochs the rule gives at {@code referenceImages}; 0 turns the rule off
 * @param learningRateStepFraction when above 0 and {@code learningRateStepEpochs} is 0: step the rates down once,
 *                              after this fraction of the epochs the rule chose
 * @param learningRateFactor    multiplies the head's and the backbone's learning rate (a warm start's lower rates)
 */
public record StageHyperparameters(
        List<String> trainablePrefixes,
        float headLearningRate,
        float backboneLearningRate,
        float momentum,
        float weightDecay,
        int batchSize,
        int maxEpochs,
        int patience,
        long seed,
        BatchNormPolicy batchNorm,
        boolean featureCache,
        int learningRateStepEpochs,
        float learningRateStepFactor,
        int minEpochs,
        int referenceImages,
        int referenceEpochs,
        float learningRateStepFraction,
        float learningRateFactor) {

    /** The epoch rule's defaults: 10 epochs at 10,000 training images, at least 2, at most {@code maxEpochs}. */
    static final int REFERENCE_IMAGES = 10_000;
    static final int REFERENCE_EPOCHS = 10;
    static final int MIN_EPOCHS = 2;

    public StageHyperparameters {
        trainablePrefixes = List.copyOf(trainablePrefixes);
        if (batchSize <= 0 || maxEpochs <= 0 || patience <= 0 || minEpochs <= 0 || referenceImages <= 0) {
            throw new IllegalArgumentException("batchSize, maxEpochs, minEpochs, patience and referenceImages must "
                    + "be positive");
        }
        if (headLearningRate < 0 || backboneLearningRate < 0 || learningRateStepEpochs < 0 || referenceEpochs < 0) {
            throw new IllegalArgumentException("learning rates, step epochs and reference epochs must not be "
                    + "negative");
        }
        if (!(learningRateStepFraction >= 0 && learningRateStepFraction < 1) || !(learningRateFactor > 0)) {
            throw new IllegalArgumentException("learningRateStepFraction must be in [0, 1) and learningRateFactor "
                    + "above 0, got " + learningRateStepFraction + " and " + learningRateFactor);
        }
    }

    /** The recipe's defaults for {@code stage}. */
    public static StageHyperparameters forStage(Stage stage) {
        return switch (stage) {
            case HEAD -> new StageHyperparameters(List.of(), 1e-3f, 0f, 0.9f, 0f, 32, 10, 3, 42L,
                    BatchNormPolicy.FROZEN, true, 0, 0.1f, MIN_EPOCHS, REFERENCE_IMAGES, REFERENCE_EPOCHS, 0f, 1f);
            case LAYER4 -> new StageHyperparameters(List.of("layer4."), 1e-3f, 1e-4f, 0.9f, 0f, 32, 10, 3, 42L,
                    BatchNormPolicy.FROZEN, false, 0, 0.1f, MIN_EPOCHS, REFERENCE_IMAGES, REFERENCE_EPOCHS, 0f,
                    1f);
            case FULL -> new StageHyperparameters(List.of(""), 1e-4f, 1e-5f, 0.9f, 0f, 32, 10, 3, 42L,
                    BatchNormPolicy.FROZEN, false, 0, 0.1f, MIN_EPOCHS, REFERENCE_IMAGES, REFERENCE_EPOCHS, 0f,
                    1f);
        };
    }

    /** The defaults of {@code stage} with {@code overrides} (field name to value) applied. */
    public static StageHyperparameters forStage(Stage stage, Map<String, String> overrides) {
        return forStage(stage).withOverrides(overrides);
    }

    /** A copy with {@code overrides} (field name to value) applied; unknown names are rejected. */
    public StageHyperparameters withOverrides(Map<String, String> overrides) {
        StageHyperparameters h = this;
        for (Map.Entry<String, String> entry : overrides.entrySet()) {
            h = h.with(entry.getKey(), entry.getValue().trim());
        }
        return h;
    }

    private StageHyperparameters with(String name, String value) {
        List<String> prefixes = trainablePrefixes;
        float headLr = headLearningRate;
        float backboneLr = backboneLearningRate;
        float mom = momentum;
        float decay = weightDecay;
        int batch = batchSize;
        int epochs = maxEpochs;
        int wait = patience;
        long seedValue = seed;
        BatchNormPolicy bn = batchNorm;
        boolean cache = featureCache;
        int stepEpochs = learningRateStepEpochs;
        float stepFactor = learningRateStepFactor;
        int fewestEpochs = minEpochs;
        int images = referenceImages;
        int epochsAtReference = referenceEpochs;
        float stepFraction = learningRateStepFraction;
        float rateFactor = learningRateFactor;
        switch (name) {
            case "trainablePrefixes" -> prefixes = value.isEmpty() ? List.of()
                    : Arrays.stream(value.split(",")).map(String::trim).map(p -> p.equals("*") ? "" : p).toList();
            case "headLearningRate" -> headLr = Float.parseFloat(value);
            case "backboneLearningRate" -> backboneLr = Float.parseFloat(value);
            case "momentum" -> mom = Float.parseFloat(value);
            case "weightDecay" -> decay = Float.parseFloat(value);
            case "batchSize" -> batch = Integer.parseInt(value);
            case "maxEpochs" -> epochs = Integer.parseInt(value);
            case "patience" -> wait = Integer.parseInt(value);
            case "seed" -> seedValue = Long.parseLong(value);
            case "batchNorm" -> bn = BatchNormPolicy.valueOf(value.toUpperCase(Locale.ROOT));
            case "featureCache" -> cache = Boolean.parseBoolean(value);
            case "learningRateStepEpochs" -> stepEpochs = Integer.parseInt(value);
            case "learningRateStepFactor" -> stepFactor = Float.parseFloat(value);
            case "minEpochs" -> fewestEpochs = Integer.parseInt(value);
            case "referenceImages" -> images = Integer.parseInt(value);
            case "referenceEpochs" -> epochsAtReference = Integer.parseInt(value);
            case "learningRateStepFraction" -> stepFraction = Float.parseFloat(value);
            case "learningRateFactor" -> rateFactor = Float.parseFloat(value);
            default -> throw new IllegalArgumentException("unknown hyperparameter " + name);
        }
        return new StageHyperparameters(prefixes, headLr, backboneLr, mom, decay, batch, epochs, wait, seedValue, bn,
                cache, stepEpochs, stepFactor, fewestEpochs, images, epochsAtReference, stepFraction, rateFactor);
    }

    /**
     * The epochs for a stage over {@code trainingImages} images: {@code referenceEpochs * sqrt(referenceImages /
     * trainingImages)}, rounded, within [{@code minEpochs}, {@code maxEpochs}] ({@code maxEpochs} wins when the two
     * bounds cross). So the optimisation steps grow with the square root of the data: four times the images get
     * half the passes and twice the steps. With {@code referenceEpochs} 0, {@code maxEpochs}.
     */
    public int epochsFor(int trainingImages) {
        if (referenceEpochs == 0) {
            return maxEpochs;
        }
        if (trainingImages <= 0) {
            throw new IllegalArgumentException("a stage needs training images, got " + trainingImages);
        }
        long rule = Math.round(referenceEpochs * Math.sqrt((double) referenceImages / trainingImages));
        return (int) Math.min(maxEpochs, Math.max(minEpochs, rule));
    }

    /**
     * These settings as one stage over {@code trainingImages} images runs them: {@code maxEpochs} is the rule's
     * choice ({@link #epochsFor}), the step schedule falls after {@code learningRateStepFraction} of those epochs
     * (unless {@code learningRateStepEpochs} fixes it), and the learning rates include {@code learningRateFactor}.
     * The result has the rule, the fraction and the factor folded in, so resolving it again changes nothing.
     */
    public StageHyperparameters forTrainingImages(int trainingImages) {
        int epochs = epochsFor(trainingImages);
        int stepEpochs = learningRateStepEpochs;
        if (stepEpochs == 0 && learningRateStepFraction > 0) {
            stepEpochs = Math.max(1, Math.round(learningRateStepFraction * epochs));
        }
        return new StageHyperparameters(trainablePrefixes, headLearningRate * learningRateFactor,
                backboneLearningRate * learningRateFactor, momentum, weightDecay, batchSize, epochs, patience, seed,
                batchNorm, featureCache, stepEpochs, learningRateStepFactor, Math.min(minEpochs, epochs),
                referenceImages, 0, 0f, 1f);
    }

    /** Whether backbone parameter {@code name} trains in this stage. */
    public boolean trains(String name) {
        return trainablePrefixes.stream().anyMatch(name::startsWith);
    }

    /**
     * Whether the head trains on features computed once: only when the backbone is a fixed function, i.e.
     * nothing in it trains and its BatchNorm layers stay in inference mode.
     */
    public boolean usesFeatureCache() {
        return featureCache && trainablePrefixes.isEmpty() && batchNorm == BatchNormPolicy.FROZEN;
    }

    /** The learning-rate multiplier of the step schedule in (1-based) {@code epoch}. */
    public float learningRateScale(int epoch) {
        if (learningRateStepEpochs == 0) {
            return 1f;
        }
        return (float) Math.pow(learningRateStepFactor, (epoch - 1) / learningRateStepEpochs);
    }
}
