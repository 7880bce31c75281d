package io.stagetune.common;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Topic names and their default partition counts. Services map channels to these in configuration. */
public final class Topics {

    public static final String DATASET_EVENTS = "dataset-events";
    public static final String TRAINING_COMMANDS = "training-commands";
    public static final String TRAINING_PROGRESS = "training-progress";
    public static final String TRAINING_CHECKPOINTS = "training-checkpoints";
    public static final String EVALUATION_RESULTS = "evaluation-results";
    public static final String MODEL_EVENTS = "model-events";
    /** Every answer of the serving-service, keyed by model: the input of the feedback loop. */
    public static final String PREDICTIONS = "predictions";

    /** Topics that some service consumes, and so have a dead-letter topic. */
    public static final List<String> CONSUMED = List.of(DATASET_EVENTS, TRAINING_COMMANDS, TRAINING_CHECKPOINTS,
            EVALUATION_RESULTS, MODEL_EVENTS, TRAINING_PROGRESS);

    private Topics() {
    }

    public static String deadLetter(String topic) {
        return topic + "-dlq";
    }

    /**
     * Every topic with its partition count. {@code training-commands} has as many partitions as trainers may
     * ever run in parallel (KEDA caps the trainer replicas there); the others are keyed streams of modest volume.
     */
    public static Map<String, Integer> partitions(int trainerPartitions) {
        Map<String, Integer> topics = new LinkedHashMap<>();
        topics.put(DATASET_EVENTS, 3);
        topics.put(TRAINING_COMMANDS, trainerPartitions);
        topics.put(TRAINING_PROGRESS, 3);
        topics.put(TRAINING_CHECKPOINTS, 3);
        topics.put(EVALUATION_RESULTS, 3);
        topics.put(MODEL_EVENTS, 3);
        topics.put(PREDICTIONS, 3);
        for (String consumed : CONSUMED) {
            topics.put(deadLetter(consumed), 1);
        }
        return topics;
    }

    public static Map<String, Integer> partitions() {
        return partitions(8);
    }
}
