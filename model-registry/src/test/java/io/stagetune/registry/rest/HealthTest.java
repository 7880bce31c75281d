package io.stagetune.registry.rest;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stagetune.testsupport.KafkaTestResource;
import io.stagetune.testsupport.ServiceEndpointsContract;

@QuarkusTest
@WithTestResource(KafkaTestResource.class)
class HealthTest extends ServiceEndpointsContract {

    @Override
    protected String serviceName() {
        return "model-registry";
    }
}
