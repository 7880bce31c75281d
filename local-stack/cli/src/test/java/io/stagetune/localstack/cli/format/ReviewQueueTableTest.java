package io.stagetune.localstack.cli.format;

import io.stagetune.localstack.cli.client.ReviewQueue;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReviewQueueTableTest {

    private static final Instant PICKED = Instant.parse("2026-12-03T13:00:01Z");

    private static ReviewQueue.Item item(String id, String reason, String predicted, double probability, String state,
                                         String label, String reviewer, Long shadowVersion, String shadowLabel) {
        return new ReviewQueue.Item(id, id.split("\\.")[0], "fashion", 3L, "fashion-target", "ab12", reason,
                predicted, probability, List.of(new ReviewQueue.LabelProbability(predicted, probability)), PICKED,
                state, label, reviewer, label == null ? null : PICKED.plusSeconds(60), shadowVersion, shadowLabel);
    }

    @Test
    void listsEachItemWithWhyItWasPickedWhatTheVersionAnsweredAndItsLabel() {
        ReviewQueue queue = new ReviewQueue("fashion", 1, List.of(
                item("9f1c.1", "uncertain", "shirt", 0.5123, "open", null, null, null, null),
                item("77aa", "audit", "bag", 0.99, "labelled", "bag", "reviewer", null, null)));

        assertThat(ReviewQueueTable.render(queue, "")).isEqualTo("""
                fashion: 1 open review item; 2 shown, oldest first
                id      reason     version  predicted  probability  picked                state     label
                9f1c.1  uncertain        3  shirt            0.512  2026-12-03 13:00:01Z  open      -
                77aa    audit            3  bag              0.990  2026-12-03 13:00:01Z  labelled  bag (reviewer)
                """);
    }

    @Test
    void aShadowColumnAppearsWhereAShadowVersionAnswered() {
        ReviewQueue queue = new ReviewQueue("fashion", 2, List.of(
                item("a", "uncertain", "shirt", 0.4, "open", null, null, 4L, "t-shirt"),
                item("b", "uncertain", "bag", 0.5, "open", null, null, null, null)));

        assertThat(ReviewQueueTable.render(queue, "  "))
                .contains("  id  reason     version  predicted  probability  shadow      picked")
                .contains("  a   uncertain        3  shirt            0.400  v4 t-shirt  2026-12-03 13:00:01Z  open")
                .contains("  b   uncertain        3  bag              0.500  -           2026-12-03 13:00:01Z  open");
    }

    @Test
    void anEmptyAnswerSaysNothingMatches() {
        assertThat(ReviewQueueTable.render(new ReviewQueue("fashion", 0, List.of()), ""))
                .isEqualTo("fashion: 0 open review items; none matches\n");
    }
}
