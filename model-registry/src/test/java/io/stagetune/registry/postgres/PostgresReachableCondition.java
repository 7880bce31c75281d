package io.stagetune.registry.postgres;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.sql.Connection;
import java.sql.SQLException;

/** Tries one connection per JVM; a skip is printed, so a run without PostgreSQL says so instead of passing quietly. */
public class PostgresReachableCondition implements ExecutionCondition {

    private static ConditionEvaluationResult result;

    @Override
    public synchronized ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (result == null) {
            result = probe();
            if (result.isDisabled()) {
                System.err.println("[WARNING] " + result.getReason().orElse("PostgreSQL tests skipped"));
            }
        }
        return result;
    }

    private static ConditionEvaluationResult probe() {
        try (Connection connection = PostgresTarget.connect()) {
            if (connection == null) {
                return ConditionEvaluationResult.disabled("PostgreSQL tests SKIPPED: " + PostgresTarget.URL
                        + " is not a PostgreSQL JDBC URL");
            }
            return ConditionEvaluationResult.enabled("PostgreSQL reachable at " + PostgresTarget.URL);
        } catch (SQLException | RuntimeException e) {
            return ConditionEvaluationResult.disabled("PostgreSQL tests SKIPPED: cannot connect to "
                    + PostgresTarget.URL + " as " + PostgresTarget.USER + ": " + e.getMessage());
        }
    }
}
