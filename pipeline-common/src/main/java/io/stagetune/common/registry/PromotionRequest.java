package io.stagetune.common.registry;

import java.util.List;

/**
 * A promotion decision. When {@code promoted} is true, {@code production} moves to the candidate in the same
 * transaction; {@code productionVersion} is the version the candidate was compared with (null: none), and the
 * decision is refused (409) when production has moved elsewhere since. {@code statistics} are the paired gate's
 * figures, null when the policy computed none.
 */
public record PromotionRequest(String runId, Long candidateVersion, Long productionVersion, Boolean promoted,
                               List<String> reasons, Metrics candidateMetrics, Metrics productionMetrics,
                               PromotionStatistics statistics) {
}
