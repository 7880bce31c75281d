package io.stagetune.registry.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Locale;

/**
 * The database kind is fixed when the registry is built. Setting {@code REGISTRY_DB_KIND} to another kind at run
 * time would only produce a warning and a confusing driver error, so the registry refuses to start instead.
 */
public class DatabaseKindCheck {

    void onStart(@Observes StartupEvent event, @ConfigProperty(name = "quarkus.datasource.db-kind") String builtFor) {
        String problem = mismatch(builtFor, System.getenv("REGISTRY_DB_KIND"));
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
    }

    /** @return why the requested kind cannot run on this build, or null when it can */
    static String mismatch(String builtFor, String requested) {
        if (requested == null || requested.isBlank() || normalise(requested).equals(normalise(builtFor))) {
            return null;
        }
        return "REGISTRY_DB_KIND=" + requested + " but this registry was built for '" + builtFor
                + "': the database kind is fixed at build time; rebuild with REGISTRY_DB_KIND=" + requested
                + " (see model-registry/README.md)";
    }

    private static String normalise(String kind) {
        String lower = kind.trim().toLowerCase(Locale.ROOT);
        return lower.equals("postgres") || lower.equals("pgsql") || lower.equals("pg") ? "postgresql" : lower;
    }
}
