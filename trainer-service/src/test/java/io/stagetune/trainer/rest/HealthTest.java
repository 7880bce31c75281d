package io.stagetune.trainer.rest;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stagetune.testsupport.KafkaTestResource;
import io.stagetune.testsupport.S3TestResource;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/** With a broker and a store, as the trainer will run; the same resources as {@code EmbeddedInfrastructureTest}. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(S3TestResource.class)
class HealthTest {

    @Test
    void isReadyAndLive() {
        given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
        given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void exposesPrometheusMetrics() {
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_"));
    }

    @Test
    void namesTheService() {
        given().get("/info").then().statusCode(200).body("service", is("trainer-service"));
    }
}
