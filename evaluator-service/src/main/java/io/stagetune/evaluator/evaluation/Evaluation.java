package io.stagetune.evaluator.evaluation;

import java.time.Duration;

/** The outcome of evaluating one model on one test split, and how long it took. */
public record Evaluation(TestSplit testSplit, EvaluationMetrics metrics, Duration duration) {

    public double imagesPerSecond() {
        double seconds = duration.toNanos() / 1e9;
        return seconds == 0 ? 0 : metrics.imagesEvaluated() / seconds;
    }
}
