package io.stagetune.evaluator.messaging;

import io.stagetune.testsupport.RegistryProcess;

/** The same neighbours with the registry's PostgreSQL build on a fresh schema of the test server. */
public class PostgresPipelineTestResource extends PipelineTestResource {

    @Override
    protected RegistryProcess.Database database() {
        return RegistryProcess.Database.POSTGRESQL;
    }
}
