package io.stagetune.serving.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithParentName;

import java.util.Map;
import java.util.Optional;

/**
 * Settings of one served model, {@code serving.models."<model>".*}, beside {@code serving.models} itself (the list
 * of served models, in {@link ServingConfig}).
 */
@ConfigMapping(prefix = "serving.models")
public interface ModelSettingsConfig {

    @WithParentName
    Map<String, ModelSettings> model();

    interface ModelSettings {
        /** This model's shadow alias; overrides {@code serving.shadow.alias}. */
        Optional<String> shadowAlias();
    }
}
