package io.stagetune.evaluator.evaluation;

import java.time.Duration;

/**
 * The outcome of evaluating one model on one test split, how long it took, and how many of its images had to be
 * decoded from their originals (the others were decoded by an earlier evaluation).
 */
public record Evaluation(TestSplit testSplit, EvaluationMetrics metrics, Duration duration, int imagesDecoded) {

    public double imagesPerSecond() {
        double seconds = duration.toNanos() / 1e9;
        return seconds == 0 ? 0 : metrics.imagesEvaluated() / seconds;
    }
}
