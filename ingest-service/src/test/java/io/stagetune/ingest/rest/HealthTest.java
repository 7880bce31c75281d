package io.stagetune.ingest.rest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stagetune.testsupport.KafkaTestResource;
import io.stagetune.testsupport.S3TestResource;
import io.stagetune.testsupport.ServiceEndpointsContract;

@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class HealthTest extends ServiceEndpointsContract {

    @Override
    protected String serviceName() {
        return "ingest-service";
    }
}
