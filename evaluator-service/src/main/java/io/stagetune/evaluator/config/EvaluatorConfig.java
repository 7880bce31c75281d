package io.stagetune.evaluator.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code evaluator.*}: how checkpoints are evaluated and when a candidate is promoted. */
@ConfigMapping(prefix = "evaluator")
public interface EvaluatorConfig {

    /** Images per inference batch. */
    @WithDefault("32")
    int batchSize();

    /** Local folder of the content-addressed image cache (reused across evaluations) and of checkpoint copies. */
    @WithDefault("${java.io.tmpdir}/stagetune-evaluator")
    String cacheDir();

    /**
     * Budget of the image cache ({@code 10G}, {@code 500M}; {@code 0} keeps everything). After each evaluation the
     * images used longest ago are evicted down to 90% of it. Keep it below the volume's size less what a
     * checkpoint copy and DJL's native libraries take.
     */
    @WithDefault("10G")
    MemorySize cacheMaxSize();

    /** Parallel downloads when filling the image cache. */
    @WithDefault("8")
    int downloadParallelism();

    Promotion promotion();

    /** Bearer token with the registry's {@code evaluator} role ({@code REGISTRY_EVALUATOR_TOKEN}). */
    String registryToken();

    /** First pause before retrying a checkpoint whose registry, store or broker failed; it doubles up to the max. */
    @WithDefault("1s")
    java.time.Duration retryBackoff();

    @WithDefault("60s")
    java.time.Duration maxRetryBackoff();

    interface Promotion {

        /**
         * Accuracy a candidate must gain over production on the same test split. One point: below that, a
         * difference is within the sampling noise of a typical test split (the standard error of an accuracy
         * near 0.9 on 1,000 images is about 0.0095), and promoting on noise churns production.
         */
        @WithDefault("0.01")
        double minImprovement();

        /**
         * Per-class accuracy any class production knows may lose. Five points: a class holds a tenth of a
         * ten-class split, so its accuracy is about three times noisier than the overall one; a real regression
         * on a class shows up beyond that.
         */
        @WithDefault("0.05")
        double maxClassDrop();
    }
}
