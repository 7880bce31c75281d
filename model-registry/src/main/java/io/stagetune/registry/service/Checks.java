package io.stagetune.registry.service;

import io.stagetune.common.storage.ObjectKeys;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** Input checks that fail with a 400 naming the field and the value. */
final class Checks {

    static final int MAX_URI = 1000;
    static final int MAX_TEXT = 2000;

    private Checks() {
    }

    /** Model, alias and dataset names: the object-key-safe names the whole pipeline uses. */
    static String name(String what, String value) {
        if (value == null || !ObjectKeys.NAME.matcher(value).matches()) {
            throw RegistryException.badRequest(what + " '" + value + "' must match " + ObjectKeys.NAME.pattern());
        }
        return value;
    }

    static String required(String what, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            throw RegistryException.badRequest(what + " is required");
        }
        return optional(what, value, maxLength);
    }

    static String optional(String what, String value, int maxLength) {
        if (value != null && value.length() > maxLength) {
            throw RegistryException.badRequest(what + " is longer than " + maxLength + " characters");
        }
        return value;
    }

    static void positive(String what, Number value) {
        if (value == null || value.longValue() < 1) {
            throw RegistryException.badRequest(what + " must be a number >= 1, got " + value);
        }
    }

    static void fraction(String what, Double value) {
        if (value != null && (value.isNaN() || value < 0 || value > 1)) {
            throw RegistryException.badRequest(what + " must be between 0 and 1, got " + value);
        }
    }

    static Instant instant(String what, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException | NullPointerException e) {
            throw RegistryException.badRequest(what + " '" + value
                    + "' is not an ISO-8601 instant such as 2026-01-31T12:00:00Z");
        }
    }

    /** Now, at the precision both databases store, so a time read back equals the time written. */
    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
