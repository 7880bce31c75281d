package io.stagetune.evaluator.messaging;

import io.stagetune.testsupport.RegistryProcess;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Path;

/**
 * Runs a test class only where the registry can run on PostgreSQL (a server accepting connections, the registry's
 * PostgreSQL build present); otherwise skips it and prints why, so a run without PostgreSQL says so.
 */
public class EnabledIfPostgresRegistry implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return RegistryProcess.postgresUnavailable(Path.of("..").toAbsolutePath().normalize())
                .map(reason -> {
                    System.err.println("[WARNING] PostgreSQL tests SKIPPED: " + reason);
                    return ConditionEvaluationResult.disabled("PostgreSQL tests SKIPPED: " + reason);
                })
                .orElseGet(() -> ConditionEvaluationResult.enabled("the registry can run on PostgreSQL"));
    }
}
