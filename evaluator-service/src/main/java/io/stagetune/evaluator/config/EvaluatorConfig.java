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
         * {@code paired} (the default): candidate and production compared image by image with an exact McNemar
         * test and per-class intervals. {@code thresholds}: the accuracy thresholds alone, which ignore how many
         * images stand behind a figure.
         */
        @WithDefault("paired")
        String policy();

        /** Paired policy: the level of the overall McNemar test; per class, intervals are at 1 - significance. */
        @WithDefault("0.05")
        double significance();

        /**
         * Paired policy: accuracy a candidate must gain over production besides being better with confidence. 0:
         * the test alone guards against noise; raise it to keep production from changing for gains too small to
         * be worth a rollout.
         */
        @WithDefault("0")
        double minEffect();

        /** Paired policy: a class with fewer paired test images is reported as not enough data, never judged. */
        @WithDefault("10")
        int minClassImages();

        /**
         * Thresholds policy: accuracy a candidate must gain over production on the same test split. One point: below that, a
         * difference is within the sampling noise of a typical test split (the standard error of an accuracy
         * near 0.9 on 1,000 images is about 0.0095), and promoting on noise churns production.
         */
        @WithDefault("0.01")
        double minImprovement();

        /**
         * Per-class accuracy any class production knows may lose (both policies; the paired one fails a class
         * only when it lost more with confidence). Five points: a class holds a tenth of a
         * ten-class split, so its accuracy is about three times noisier than the overall one; a real regression
         * on a class shows up beyond that.
         */
        @WithDefault("0.05")
        double maxClassDrop();

        /**
         * How the run's candidate is chosen among its stages: the latest stage whose validation accuracy lies within
         * this many standard errors of the best stage's (the standard error of the best accuracy on the run's
         * validation images). 0: the best validation accuracy, however small its lead.
         */
        @WithDefault("1")
        double stageChoiceStandardErrors();

        /**
         * When set (for example {@code shadow}), a rejected candidate is pointed at by this alias, so a serving-service
         * that runs that alias as its shadow measures it on live traffic beside production; unset: no alias moves.
         */
        java.util.Optional<String> shadowAlias();
    }
}
