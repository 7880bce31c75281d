package io.stagetune.registry;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stagetune.testsupport.KafkaTestResource;

/** The registry on its embedded default database, H2 (a file under target/). */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
class H2RegistryTest extends RegistryScenarios {
}
