package io.stagetune.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code ingest.*}: limits, split ratios and event delivery of the ingest service. */
@ConfigMapping(prefix = "ingest")
public interface IngestConfig {

    Limits limits();

    Splits split();

    Announce announce();

    /** Parallel object puts per upload. */
    @WithDefault("4")
    int storeParallelism();

    interface Limits {
        /** Largest accepted image file (bytes). */
        @WithDefault("10485760")
        long maxFileBytes();

        /** Largest accepted image (width x height), against decompression bombs. */
        @WithDefault("40000000")
        long maxPixels();

        /** Most files in one request (images and archive entries together). */
        @WithDefault("20000")
        int maxFiles();

        /** Most entries in one archive. */
        @WithDefault("20000")
        int maxArchiveEntries();

        /** Most bytes one archive may expand to, against zip bombs. */
        @WithDefault("2147483648")
        long maxArchiveExpandedBytes();
    }

    interface Splits {
        /** Percentage of images assigned to train (by content hash) when the client names no split. */
        @WithDefault("80")
        int trainPercent();

        /** Percentage assigned to val; the rest goes to test. */
        @WithDefault("10")
        int valPercent();
    }

    interface Announce {
        /** How long an upload waits for the broker to acknowledge its events. */
        @WithDefault("10s")
        Duration timeout();

        /** How often versions that were never announced are retried. */
        @WithDefault("5s")
        Duration retryEvery();
    }
}
