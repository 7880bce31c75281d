package io.stagetune.persistence;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Locale;

/**
 * The database kind is fixed when a service is built (Quarkus builds Hibernate and the connection pool for one
 * kind). Asking for another kind at run time would only produce a warning and a confusing driver error, so the
 * service refuses to start instead, naming the variable ({@code pipeline.database.kind-variable}, e.g.
 * {@code REGISTRY_DB_KIND}) to rebuild with.
 */
public class DatabaseKindCheck {

    void onStart(@Observes StartupEvent event,
                 @ConfigProperty(name = "quarkus.datasource.db-kind") String builtFor,
                 @ConfigProperty(name = "pipeline.database.kind-variable") String variable) {
        String problem = mismatch(variable, builtFor, System.getenv(variable));
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
    }

    /** @return why the requested kind cannot run on this build, or null when it can */
    static String mismatch(String variable, String builtFor, String requested) {
        if (requested == null || requested.isBlank() || normalise(requested).equals(normalise(builtFor))) {
            return null;
        }
        return variable + "=" + requested + " but this build is for '" + builtFor
                + "': the database kind is fixed at build time; rebuild with " + variable + "=" + requested;
    }

    private static String normalise(String kind) {
        String lower = kind.trim().toLowerCase(Locale.ROOT);
        return lower.equals("postgres") || lower.equals("pgsql") || lower.equals("pg") ? "postgresql" : lower;
    }
}
