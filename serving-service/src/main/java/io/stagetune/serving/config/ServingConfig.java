package io.stagetune.serving.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The serving-service's settings ({@code serving.*} in {@code application.properties}). */
@ConfigMapping(prefix = "serving")
public interface ServingConfig {

    /** The models this service serves, by registry name. */
    List<String> models();

    /** The registry alias whose version is served, for every model. */
    @WithDefault("production")
    String alias();

    /** Where downloaded checkpoints live, one folder per loaded version (deleted when that version is closed). */
    Path cacheDir();

    Batch batch();

    Reload reload();

    Limits limits();

    Images images();

    Shadow shadow();

    /** Dynamic batching: requests that arrive together share one forward. */
    interface Batch {
        /** Images per forward at most. */
        @WithDefault("32")
        int maxSize();

        /**
         * How long the first request of a batch waits for others to join it. None by default: under load the
         * requests that queued during the previous forward fill the next batch anyway, and at low load a wait only
         * adds latency (the same default as Triton's dynamic batcher).
         */
        @WithDefault("0ms")
        Duration maxWait();

        /**
         * Threads running forwards per loaded version, each with its own DJL predictor. One suits a CPU (libtorch
         * already spreads a forward over every core, and a busy worker lets the next batch fill up).
         */
        @WithDefault("1")
        int workers();

        /**
         * Whether each loaded version times its forward at every warm-up batch size (powers of two up to
         * {@link #maxSize()}) and lowers its batch limit to the largest size that reaches at least
         * {@link #tuneShare()} of the best size's images/s. On a GPU the largest batch is usually the fastest per
         * image; on a few CPU cores a large network often runs small batches faster (the activations of a large
         * batch leave the caches), so a limit that suits one device halves the throughput of the other.
         */
        @WithDefault("true")
        boolean tune();

        /** Share of the best images/s a larger batch size may fall short of and still be chosen. */
        @WithDefault("0.9")
        double tuneShare();
    }

    /** Following the alias: at start, on every model event, and periodically. */
    interface Reload {
        /** How often the alias is resolved again even without an event (a missed event is caught up then). */
        @WithDefault("30s")
        Duration recheckEvery();

        /** First pause after a failed load; doubles up to {@link #maxRetryBackoff()}. */
        @WithDefault("1s")
        Duration retryBackoff();

        @WithDefault("30s")
        Duration maxRetryBackoff();

        /** Seeded synthetic images a new version must answer sensibly before it is swapped in. */
        @WithDefault("4")
        int checkImages();
    }

    /** Bad input is refused before any work: the same limits and reasons as ingest. */
    interface Limits {
        @WithDefault("20000000")
        long maxImageBytes();

        @WithDefault("50000000")
        long maxPixels();

        @WithDefault("64")
        int maxImages();

        @WithDefault("100")
        int maxK();
    }

    /**
     * A shadow version: the version another alias points at (such as {@code shadow}, the candidate an operator is
     * weighing), run on the same images as the served one without answering with it, so its agreement with
     * production can be measured on live traffic before anyone promotes it.
     */
    interface Shadow {
        /**
         * The shadow alias of every served model (unset: no shadow); {@code serving.models."<model>".shadow-alias}
         * overrides it for one model ({@link io.stagetune.serving.service.ShadowAliases}).
         */
        Optional<String> alias();

        /**
         * Images waiting for a shadow forward at most, per model; a request beyond it is published without its
         * shadow answer and counted, so a slow shadow never builds an unbounded queue beside production.
         */
        @WithDefault("256")
        int maxPendingImages();
    }

    /** Optionally keep each predicted image for later labelling, at {@code <bucket>/<model>/<sha256>}. */
    interface Images {
        @WithDefault("false")
        boolean keep();

        @WithDefault("predictions")
        String bucket();
    }
}
