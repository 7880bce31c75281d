package io.stagetune.registry.rest;

import io.stagetune.registry.service.RegistryException;

import java.util.Arrays;
import java.util.Locale;

/** Query parameters parsed here rather than by JAX-RS, which answers a bad value with a bare 404. */
final class QueryParams {

    private QueryParams() {
    }

    static <E extends Enum<E>> E enumValue(String name, String value, Class<E> type) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw RegistryException.badRequest(name + " '" + value + "' is not one of "
                    + Arrays.toString(type.getEnumConstants()));
        }
    }
}
