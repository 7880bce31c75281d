package io.stagetune.evaluator.rest;

import io.quarkus.test.common.WithTestResource;
import io.stagetune.testsupport.KafkaTestResource;
import io.stagetune.testsupport.S3TestResource;
import io.stagetune.testsupport.ServiceEndpointsContract;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(S3TestResource.class)
class HealthTest extends ServiceEndpointsContract {

    @Override
    protected String serviceName() {
        return "evaluator-service";
    }
}
