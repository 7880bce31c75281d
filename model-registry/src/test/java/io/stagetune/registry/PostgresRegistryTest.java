package io.stagetune.registry;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.stagetune.testsupport.KafkaTestResource;
import io.stagetune.registry.postgres.EnabledIfPostgresReachable;
import io.stagetune.registry.postgres.PostgresProfile;

/** The same scenarios on PostgreSQL, the production database; skipped (and said so) where none is reachable. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
@WithTestResource(KafkaTestResource.class)
@EnabledIfPostgresReachable
class PostgresRegistryTest extends RegistryScenarios {
}
