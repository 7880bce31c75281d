package io.stagetune.ingest.review;

import io.stagetune.ingest.ReviewItem.Reason;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Decides whether one predicted image goes to review, and why. The audit draw comes first and ignores everything
 * else, so the audit sample is an unbiased sample of production traffic; it is a hash of the item id, so every
 * replica and every redelivery draws the same. Otherwise an image whose top-1 probability is below the policy's
 * threshold is picked as uncertain, unless its predicted label already has {@code classCap} open items or the model
 * had {@code maxPerHour} uncertain picks in the hour before the prediction.
 */
public final class ReviewPicker {

    private ReviewPicker() {
    }

    /** What the queue holds when the image is considered. */
    public record Counts(long openOfPredictedLabel, long uncertainPicksLastHour) {
    }

    /** {@code counts} is asked only for an image below the threshold: most traffic needs no query. */
    public static Optional<Reason> pick(ReviewConfig.Policy policy, String itemId, double topProbability,
                                        Supplier<Counts> counts) {
        if (auditDraw(itemId) * 100.0 < policy.auditPercent()) {
            return Optional.of(Reason.AUDIT);
        }
        if (topProbability >= policy.uncertaintyBelow()) {
            return Optional.empty();
        }
        Counts queue = counts.get();
        if (queue.openOfPredictedLabel() >= policy.classCap()
                || queue.uncertainPicksLastHour() >= policy.maxPerHour()) {
            return Optional.empty();
        }
        return Optional.of(Reason.UNCERTAIN);
    }

    /** A number in [0, 1) fixed by the item id: uniform, as the first 53 bits of its SHA-256. */
    static double auditDraw(String itemId) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(itemId.getBytes(StandardCharsets.UTF_8));
            return (ByteBuffer.wrap(hash).getLong() >>> 11) / (double) (1L << 53);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
