package io.stagetune.evaluator.messaging;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.extension.ExtendWith;

/** The pipeline scenarios with the registry on PostgreSQL; skipped, and said so, where that cannot run. */
@QuarkusTest
@WithTestResource(PostgresPipelineTestResource.class)
@ExtendWith(EnabledIfPostgresRegistry.class)
class EvaluatorPipelineOnPostgresTest extends EvaluatorPipelineScenarios {

    /**
     * Not a test here: an outage of the registry process is the same whatever database it runs on, and
     * EvaluatorPipelineTest covers it; restarting the registry on PostgreSQL costs 40 s of CI for no new path.
     */
    @Override
    void aRegistryOutageDelaysTheDecisionButDoesNotLoseIt() {
    }
}
