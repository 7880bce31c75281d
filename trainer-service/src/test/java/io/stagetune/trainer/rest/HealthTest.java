package io.stagetune.trainer.rest;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stagetune.testsupport.KafkaTestResource;
import io.stagetune.testsupport.S3TestResource;
import io.stagetune.testsupport.ServiceEndpointsContract;

/** With a broker and a store, as the trainer will run; the same resources as {@code EmbeddedInfrastructureTest}. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(S3TestResource.class)
class HealthTest extends ServiceEndpointsContract {

    @Override
    protected String serviceName() {
        return "trainer-service";
    }
}
