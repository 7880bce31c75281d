package io.stagetune.evaluator.evaluation;

/**
 * One class's figures on a test split. Undefined ratios are 0 (as scikit-learn's {@code zero_division=0}):
 * recall of a class without test images, precision of a class never predicted, F1 when both are 0.
 *
 * @param support   test images whose true label is this class
 * @param predicted test images predicted as this class
 * @param correct   test images of this class predicted as this class
 * @param accuracy  per-class accuracy, which is the class's recall: correct / support
 * @param precision correct / predicted
 * @param f1        harmonic mean of precision and recall
 */
public record ClassMetrics(String label, int support, int predicted, int correct, double accuracy, double precision,
                           double f1) {

    static ClassMetrics of(String label, int support, int predicted, int correct) {
        double recall = ratio(correct, support);
        double precision = ratio(correct, predicted);
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new ClassMetrics(label, support, predicted, correct, recall, precision, f1);
    }

    /** Same as {@link #accuracy()}: per-class accuracy is recall. */
    public double recall() {
        return accuracy;
    }

    private static double ratio(int numerator, int denominator) {
        return denominator == 0 ? 0 : (double) numerator / denominator;
    }
}
