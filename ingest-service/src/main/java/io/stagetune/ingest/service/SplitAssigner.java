package io.stagetune.ingest.service;

import io.stagetune.common.events.Split;

/**
 * Assigns a split from an image's content hash, so the same bytes always land in the same split, in every
 * version and on every replica: the test split never leaks into training.
 */
public class SplitAssigner {

    private final int trainPercent;
    private final int valPercent;

    public SplitAssigner(int trainPercent, int valPercent) {
        if (trainPercent < 0 || valPercent < 0 || trainPercent + valPercent > 100) {
            throw new IllegalArgumentException("split percentages train=" + trainPercent + " val=" + valPercent
                    + " must be non-negative and sum to at most 100");
        }
        this.trainPercent = trainPercent;
        this.valPercent = valPercent;
    }

    public Split assign(String sha256) {
        // The first 8 hex digits are uniform for a cryptographic hash.
        long bucket = Long.parseLong(sha256.substring(0, 8), 16) % 100;
        if (bucket < trainPercent) {
            return Split.TRAIN;
        }
        return bucket < trainPercent + valPercent ? Split.VAL : Split.TEST;
    }
}
