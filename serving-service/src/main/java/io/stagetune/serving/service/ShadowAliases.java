package io.stagetune.serving.service;

import io.stagetune.serving.config.ModelSettingsConfig;
import io.stagetune.serving.config.ServingConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The shadow alias of each served model: {@code serving.models."<model>".shadow-alias} when set, else
 * {@code serving.shadow.alias} ({@code SERVING_SHADOW_ALIAS}), else none. Read once at start; the served alias
 * itself is refused as a shadow (it would only agree with itself).
 */
@ApplicationScoped
public class ShadowAliases {

    private final Map<String, Optional<String>> aliases = new LinkedHashMap<>();

    public ShadowAliases(ServingConfig serving, ModelSettingsConfig settings) {
        for (String model : serving.models()) {
            Optional<String> own = Optional.ofNullable(settings.model().get(model))
                    .flatMap(ModelSettingsConfig.ModelSettings::shadowAlias);
            Optional<String> alias = own.or(() -> serving.shadow().alias()).map(String::strip)
                    .filter(name -> !name.isEmpty());
            if (alias.isPresent() && alias.get().equals(serving.alias())) {
                throw new IllegalArgumentException("model " + model + ": the shadow alias '" + alias.get()
                        + "' is the served alias; a shadow must be another alias");
            }
            aliases.put(model, alias);
        }
    }

    /** The shadow alias of a served model, empty when it has none (or is not served). */
    public Optional<String> of(String model) {
        return aliases.getOrDefault(model, Optional.empty());
    }
}
