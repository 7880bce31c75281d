package io.stagetune.registry.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseKindCheckTest {

    @Test
    void acceptsTheBuiltKindOrNoRequest() {
        assertThat(DatabaseKindCheck.mismatch("h2", null)).isNull();
        assertThat(DatabaseKindCheck.mismatch("h2", "H2")).isNull();
        assertThat(DatabaseKindCheck.mismatch("postgresql", "postgres")).isNull();
    }

    @Test
    void refusesAnotherKindAndSaysHowToGetIt() {
        assertThat(DatabaseKindCheck.mismatch("h2", "postgresql"))
                .contains("built for 'h2'").contains("rebuild with REGISTRY_DB_KIND=postgresql");
    }
}
