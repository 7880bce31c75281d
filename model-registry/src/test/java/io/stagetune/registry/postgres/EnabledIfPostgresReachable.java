package io.stagetune.registry.postgres;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Runs the test class only when {@link PostgresTarget} accepts a connection; skips it with the reason otherwise. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(PostgresReachableCondition.class)
public @interface EnabledIfPostgresReachable {
}
