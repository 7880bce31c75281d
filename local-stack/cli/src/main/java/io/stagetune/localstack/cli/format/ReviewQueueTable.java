package io.stagetune.localstack.cli.format;

import io.stagetune.localstack.cli.client.ReviewQueue;

import java.util.Locale;

/**
 * The review queue as a table, oldest first: each item's id (what {@code pipeline label} takes), why it was picked,
 * what the served version answered and how sure it was, and its label once a reviewer gave one. A shadow column
 * appears only where a shadow version answered.
 */
public final class ReviewQueueTable {

    private ReviewQueueTable() {
    }

    public static String render(ReviewQueue queue, String indent) {
        StringBuilder text = new StringBuilder(indent).append(String.format(Locale.ROOT,
                "%s: %d open review item%s", queue.model(), queue.open(), queue.open() == 1 ? "" : "s"));
        if (queue.items().isEmpty()) {
            return text.append("; none matches\n").toString();
        }
        text.append(String.format(Locale.ROOT, "; %d shown, oldest first%n", queue.items().size()));
        boolean shadow = queue.items().stream().anyMatch(item -> item.shadowLabel() != null);
        TextTable table = new TextTable().left("id").left("reason").right("version").left("predicted")
                .right("probability");
        if (shadow) {
            table.left("shadow");
        }
        table.left("picked").left("state").left("label");
        for (ReviewQueue.Item item : queue.items()) {
            Object[] cells = shadow ? new Object[9] : new Object[8];
            int cell = 0;
            cells[cell++] = item.id();
            cells[cell++] = item.reason();
            cells[cell++] = item.modelVersion();
            cells[cell++] = item.predictedLabel();
            cells[cell++] = Formats.fraction(item.probability());
            if (shadow) {
                cells[cell++] = item.shadowLabel() == null ? null : "v" + item.shadowVersion() + " "
                        + item.shadowLabel();
            }
            cells[cell++] = Formats.time(item.pickedAt());
            cells[cell++] = item.state();
            cells[cell] = item.label() == null ? null
                    : item.reviewer() == null ? item.label() : item.label() + " (" + item.reviewer() + ")";
            table.row(cells);
        }
        return text.append(table.render(indent)).toString();
    }
}
