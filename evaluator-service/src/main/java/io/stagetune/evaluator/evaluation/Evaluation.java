package io.stagetune.evaluator.evaluation;

import java.time.Duration;

/**
 * The outcome of evaluating one model on one test split, how long it took, and how many of its images had to be
 * decoded from their originals (the others were decoded by an earlier evaluation).
 *
 * @param predictions every image's prediction by content hash; null when some image had no content key
 */
public record Evaluation(TestSplit testSplit, EvaluationMetrics metrics, Duration duration, int imagesDecoded,
                         ImagePredictions predictions) {

    public double imagesPerSecond() {
        double seconds = duration.toNanos() / 1e9;
        return seconds == 0 ? 0 : metrics.imagesEvaluated() / seconds;
    }
}
