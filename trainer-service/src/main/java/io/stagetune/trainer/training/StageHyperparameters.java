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
 * @param maxEpochs             epochs at most
 * @param patience              epochs without a better validation accuracy before stopping early
 * @param seed                  seeds the head's initial weights, shuffling and augmentation
 * @param batchNorm             behaviour of BatchNorm layers in frozen parts
 * @param featureCache          when nothing in the backbone trains: compute its features once and train the head on them
 * @param learningRateStepEpochs multiply learning rates by {@code learningRateStepFactor} every this many epochs; 0 = never
 * @param learningRateStepFactor the step schedule's factor (StepLR's gamma)
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
        float learningRateStepFactor) {

    public StageHyperparameters {
        trainablePrefixes = List.copyOf(trainablePrefixes);
        if (batchSize <= 0 || maxEpochs <= 0 || patience <= 0) {
            throw new IllegalArgumentException("batchSize, maxEpochs and patience must be positive");
        }
        if (headLearningRate < 0 || backboneLearningRate < 0 || learningRateStepEpochs < 0) {
            throw new IllegalArgumentException("learning rates and step epochs must not be negative");
        }
    }

    /** The recipe's defaults for {@code stage}. */
    public static StageHyperparameters forStage(Stage stage) {
        return switch (stage) {
            case HEAD -> new StageHyperparameters(List.of(), 1e-3f, 0f, 0.9f, 0f, 32, 10, 3, 42L,
                    BatchNormPolicy.FROZEN, true, 0, 0.1f);
            case LAYER4 -> new StageHyperparameters(List.of("layer4."), 1e-3f, 1e-4f, 0.9f, 0f, 32, 10, 3, 42L,
                    BatchNormPolicy.FROZEN, false, 0, 0.1f);
            case FULL -> new StageHyperparameters(List.of(""), 1e-4f, 1e-5f, 0.9f, 0f, 32, 10, 3, 42L,
                    BatchNormPolicy.FROZEN, false, 0, 0.1f);
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
            default -> throw new IllegalArgumentException("unknown hyperparameter " + name);
        }
        return new StageHyperparameters(prefixes, headLr, backboneLr, mom, decay, batch, epochs, wait, seedValue, bn,
                cache, stepEpochs, stepFactor);
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
