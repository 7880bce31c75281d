package io.stagetune.testsupport;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * What every service answers beside its own API: liveness and readiness, Prometheus metrics, and {@code GET /info}
 * naming it. A service's {@code @QuarkusTest} extends this with its name.
 */
public abstract class ServiceEndpointsContract {

    /** The name {@code GET /info} must answer: the service's {@code quarkus.application.name}. */
    protected abstract String serviceName();

    @Test
    void isLive() {
        given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
    }

    /**
     * Ready within a minute of its start. A service whose readiness needs more than its test resources (the
     * serving-service needs a model version behind its alias) overrides this without {@code @Test}, which JUnit then
     * does not run, and checks readiness where it sets that up.
     */
    @Test
    protected void isReady() {
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200).body("status", is("UP")));
    }

    @Test
    void exposesPrometheusMetrics() {
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_"));
    }

    @Test
    void namesTheService() {
        given().get("/info").then().statusCode(200).body("service", is(serviceName()));
    }
}
