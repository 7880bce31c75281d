package io.stagetune.serving.rest;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stagetune.serving.ServingTestResource;
import io.stagetune.testsupport.ServiceEndpointsContract;

/** The same resources as {@code ServingTest}, so both share one application start. */
@QuarkusTest
@WithTestResource(ServingTestResource.class)
class HealthTest extends ServiceEndpointsContract {

    @Override
    protected String serviceName() {
        return "serving-service";
    }

    /** Not run here: ready only once a version is loaded, which {@code ServingTest} sets up and checks. */
    @Override
    protected void isReady() {
    }
}
