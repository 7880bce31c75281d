package io.stagetune.common.registry;

import java.time.Instant;
import java.util.List;

/**
 * A stored promotion decision; {@code move} is the production move it made, null when it made none;
 * {@code statistics} the paired gate's figures, null for decisions of the thresholds policy and older ones.
 */
public record PromotionView(long id, String model, String runId, long candidateVersion, Long productionVersion,
                            boolean promoted, List<String> reasons, Metrics candidateMetrics,
                            Metrics productionMetrics, PromotionStatistics statistics, String actor,
                            Instant decidedAt, MoveResult move) {
}
