package io.stagetune.evaluator.evaluation;

import io.stagetune.common.storage.ObjectKeys;

/**
 * The test split of one dataset version. Images never move between splits, but later versions add test images,
 * so two evaluations are comparable only on the same dataset version's test split.
 */
public record TestSplit(String datasetId, int datasetVersion) {

    public TestSplit {
        ObjectKeys.requireName("dataset id", datasetId);
    }

    @Override
    public String toString() {
        return datasetId + " v" + datasetVersion + " test";
    }
}
