package io.stagetune.persistence;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseKindCheckTest {

    @Test
    void acceptsTheBuiltKindOrNoRequest() {
        assertThat(DatabaseKindCheck.mismatch("REGISTRY_DB_KIND", "h2", null)).isNull();
        assertThat(DatabaseKindCheck.mismatch("REGISTRY_DB_KIND", "h2", "H2")).isNull();
        assertThat(DatabaseKindCheck.mismatch("INGEST_DB_KIND", "postgresql", "postgres")).isNull();
    }

    @Test
    void refusesAnotherKindAndSaysHowToGetIt() {
        assertThat(DatabaseKindCheck.mismatch("INGEST_DB_KIND", "h2", "postgresql"))
                .contains("INGEST_DB_KIND=postgresql but this build is for 'h2'")
                .contains("rebuild with INGEST_DB_KIND=postgresql");
    }
}
