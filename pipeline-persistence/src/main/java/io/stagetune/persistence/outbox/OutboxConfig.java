package io.stagetune.persistence.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code pipeline.outbox.*}: how the outbox relay delivers the events of a service that owns a database. */
@ConfigMapping(prefix = "pipeline.outbox")
public interface OutboxConfig {

    /** How often pending events are looked for, besides right after a change of this replica commits. */
    @WithDefault("1s")
    Duration relayEvery();

    /** How long one send waits for the broker's acknowledgement before the relay tries again later. */
    @WithDefault("10s")
    Duration sendTimeout();

    /** Events read per relay round. */
    @WithDefault("100")
    int batchSize();

    /** How long sent events stay in the outbox table (for inspection) before they are deleted. */
    @WithDefault("7d")
    Duration retention();

    /** Name of the gauge of pending events, e.g. {@code registry.outbox.pending}. */
    @WithDefault("outbox.pending")
    String pendingMetric();
}
