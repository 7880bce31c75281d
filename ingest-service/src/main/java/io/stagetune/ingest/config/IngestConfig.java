package io.stagetune.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code ingest.*}: limits and split ratios of the ingest service (its event delivery is {@code pipeline.outbox.*}). */
@ConfigMapping(prefix = "ingest")
public interface IngestConfig {

    /** Where the embedded H2 database keeps its file ({@code INGEST_DATA_DIR}); unused on a database server. */
    @WithDefault("./.data/ingest")
    String dataDir();

    Limits limits();

    Splits split();

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
}
