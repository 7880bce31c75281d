package io.stagetune.common.events;

import java.util.Locale;

/**
 * The split an image belongs to. Assigned once per image and never changed in later versions. {@code AUDIT} holds
 * labels of production traffic kept to measure the served model: neither trained on nor part of the test split.
 */
public enum Split {
    TRAIN, VAL, TEST, AUDIT;

    public String pathName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code train}, {@code val}/{@code validation}, {@code test} or {@code audit}, case-insensitively. */
    public static Split parse(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "train" -> TRAIN;
            case "val", "validation" -> VAL;
            case "test" -> TEST;
            case "audit" -> AUDIT;
            default -> throw new IllegalArgumentException("unknown split '" + text
                    + "' (expected train, val, test or audit)");
        };
    }

    @com.fasterxml.jackson.annotation.JsonCreator
    static Split fromJson(String text) {
        return parse(text);
    }

    @com.fasterxml.jackson.annotation.JsonValue
    String toJson() {
        return pathName();
    }
}
