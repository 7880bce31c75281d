package io.stagetune.trainer.planner;

import io.stagetune.common.storage.ObjectKeys;
import io.stagetune.common.storage.ObjectUri;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model's configured base backbone: an object URI ({@code s3://bucket/key}) used as it is, or a registry
 * reference in MLflow's syntax, {@code models:/<model>@<alias>}, which stands for the backbone ({@code backbone.pt})
 * of the checkpoint the alias points at when a run is planned.
 *
 * @param uri   the object URI, for a direct backbone
 * @param model the registered model, for a reference
 * @param alias the alias, for a reference
 */
public record BaseBackbone(String configured, String uri, String model, String alias) {

    private static final Pattern REFERENCE = Pattern.compile("models:/([^@/]+)@([^@/]+)");

    /** Parses {@code trainer.models.<name>.base-backbone}; a value of neither form is refused, naming the setting. */
    public static BaseBackbone parse(String modelName, String configured) {
        String setting = "trainer.models." + modelName + ".base-backbone";
        if (configured == null || configured.isBlank()) {
            throw new IllegalArgumentException(setting + " is required: s3://bucket/backbone.pt or models:/<model>@<alias>");
        }
        String value = configured.trim();
        if (value.startsWith("models:")) {
            Matcher matcher = REFERENCE.matcher(value);
            if (!matcher.matches() || !ObjectKeys.NAME.matcher(matcher.group(1)).matches()
                    || !ObjectKeys.NAME.matcher(matcher.group(2)).matches()) {
                throw new IllegalArgumentException(setting + "=" + value + " is not a registry reference of the form "
                        + "models:/<model>@<alias> (names matching " + ObjectKeys.NAME.pattern() + ")");
            }
            return new BaseBackbone(value, null, matcher.group(1), matcher.group(2));
        }
        try {
            ObjectUri.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting + "=" + value + " is neither an object URI (s3://bucket/key) "
                    + "nor a registry reference (models:/<model>@<alias>): " + e.getMessage(), e);
        }
        return new BaseBackbone(value, value, null, null);
    }

    public boolean isReference() {
        return uri == null;
    }
}
