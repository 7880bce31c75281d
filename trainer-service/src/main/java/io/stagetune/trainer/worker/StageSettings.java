package io.stagetune.trainer.worker;

import io.stagetune.common.events.Stage;
import io.stagetune.common.image.Preprocessing;
import io.stagetune.trainer.training.StageHyperparameters;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a command's hyperparameter map. Keys name {@link StageHyperparameters} fields ({@code maxEpochs=5});
 * a stage prefix limits a key to one stage ({@code layer4.maxEpochs=3}); {@code preprocessing.resize},
 * {@code preprocessing.crop} and {@code preprocessing.minCropScale} set the preprocessing of a run's first stage
 * (later stages keep their parent's, which the checkpoint records).
 */
public record StageSettings(StageHyperparameters hyperparameters, Preprocessing preprocessing) {

    private static final String PREPROCESSING = "preprocessing.";

    public static StageSettings of(Stage stage, Map<String, String> parameters) {
        Map<String, String> general = new HashMap<>();
        Map<String, String> specific = new HashMap<>();
        Preprocessing preprocessing = Preprocessing.imagenet();
        int resize = preprocessing.resize();
        int crop = preprocessing.crop();
        double minCropScale = preprocessing.minCropScale();
        String stagePrefix = stage.pathName() + ".";
        for (Map.Entry<String, String> entry : parameters.entrySet()) {
            String key = entry.getKey();
            String value = entry.getValue();
            if (key.startsWith(PREPROCESSING)) {
                switch (key.substring(PREPROCESSING.length())) {
                    case "resize" -> resize = Integer.parseInt(value.trim());
                    case "crop" -> crop = Integer.parseInt(value.trim());
                    case "minCropScale" -> minCropScale = Double.parseDouble(value.trim());
                    default -> throw new IllegalArgumentException("unknown preprocessing setting " + key);
                }
            } else if (key.toLowerCase(Locale.ROOT).startsWith(stagePrefix)) {
                specific.put(key.substring(stagePrefix.length()), value);
            } else if (!isOtherStage(key)) {
                general.put(key, value);
            }
        }
        StageHyperparameters hyperparameters = StageHyperparameters.forStage(stage, general).withOverrides(specific);
        return new StageSettings(hyperparameters,
                Preprocessing.imagenet(resize, crop).withMinCropScale(minCropScale));
    }

    private static boolean isOtherStage(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        for (Stage stage : Stage.values()) {
            if (lower.startsWith(stage.pathName() + ".")) {
                return true;
            }
        }
        return false;
    }
}
