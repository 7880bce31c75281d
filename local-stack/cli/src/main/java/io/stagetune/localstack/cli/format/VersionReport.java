package io.stagetune.localstack.cli.format;

import io.stagetune.common.registry.AliasMoveView;
import io.stagetune.common.registry.Metrics;
import io.stagetune.common.registry.PromotionView;
import io.stagetune.common.registry.VersionView;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The text of {@code pipeline report}: one version's evaluation (per class, macro averages, confusion matrix), its
 * lineage, the model's latest promotion decision, and the history of an alias.
 */
public final class VersionReport {

    private static final String INDENT = "  ";

    private VersionReport() {
    }

    /**
     * @param productionVersion the version {@code production} points at now; null when it points nowhere yet
     * @param latestDecision    the model's newest promotion decision; null when none was recorded
     * @param history           the moves of {@code historyAlias}, oldest first
     */
    public static String render(VersionView version, Long productionVersion, PromotionView latestDecision,
                         String historyAlias, List<AliasMoveView> history) {
        Metrics metrics = version.metrics() == null
                ? new Metrics(null, null, null, null, null, null, null) : version.metrics();
        StringBuilder text = new StringBuilder();
        text.append(version.model()).append(" version ").append(version.version())
                .append(version.aliases().isEmpty() ? "" : " (" + String.join(", ", version.aliases()) + ")")
                .append('\n');
        text.append(INDENT).append("registered ").append(Formats.time(version.createdAt()))
                .append(", checkpoint ").append(version.checkpoint()).append('\n');
        text.append(INDENT).append("tested on dataset ").append(dataset(version)).append(", ")
                .append(metrics.imagesEvaluated() == null ? "-" : metrics.imagesEvaluated()).append(" images\n");

        text.append("\nPer class (a class's accuracy is its recall)\n");
        text.append(ClassMetricsTable.render(metrics, INDENT));

        text.append("\nConfusion matrix (rows: true label, columns: predicted label)\n");
        text.append(ConfusionMatrixFormat.render(version.labels(), metrics.confusionMatrix(), INDENT));

        text.append("\nLineage\n");
        field(text, "run", version.runId());
        field(text, "stage", version.stage());
        field(text, "parent version", parent(version));
        field(text, "dataset", dataset(version));
        field(text, "base backbone", version.baseBackbone());
        if (version.lineage().size() > 1) {
            field(text, "ancestors", ancestors(version));
        }

        text.append("\nLatest candidate\n");
        candidate(text, latestDecision, productionVersion);

        text.append("\nHistory of ").append(historyAlias).append(" (oldest first)\n");
        if (history.isEmpty()) {
            text.append(INDENT).append("(never set)\n");
        } else {
            TextTable table = new TextTable().left("time").right("from").right("to").left("actor").left("reason");
            for (AliasMoveView move : history) {
                table.row(Formats.time(move.movedAt()), move.fromVersion(), move.toVersion(), move.actor(),
                        move.reason());
            }
            text.append(table.render(INDENT));
        }
        return text.toString();
    }

    private static void candidate(StringBuilder text, PromotionView decision, Long productionVersion) {
        if (decision == null) {
            text.append(INDENT).append("none: no promotion decision recorded yet\n");
            return;
        }
        boolean isProduction = Objects.equals(decision.candidateVersion(), productionVersion);
        String outcome = decision.promoted() ? "promoted" : "not promoted";
        text.append(INDENT).append("version ").append(decision.candidateVersion())
                .append(decision.runId() == null ? "" : " (run " + decision.runId() + ")").append(": ")
                .append(outcome).append(' ').append(Formats.time(decision.decidedAt())).append(" by ")
                .append(decision.actor())
                .append(isProduction ? ", production now" : decision.promoted() ? ", production has moved since" : "")
                .append('\n');
        Metrics candidate = decision.candidateMetrics();
        Metrics production = decision.productionMetrics();
        if (candidate != null) {
            text.append(INDENT).append("accuracy ").append(Formats.fraction(candidate.accuracy()))
                    .append(", macro F1 ").append(Formats.fraction(candidate.macroF1()));
            if (decision.productionVersion() != null && production != null) {
                text.append("; production then (version ").append(decision.productionVersion()).append("): accuracy ")
                        .append(Formats.fraction(production.accuracy())).append(", macro F1 ")
                        .append(Formats.fraction(production.macroF1()));
            }
            text.append('\n');
        }
        if (decision.statistics() != null) {
            text.append(PromotionStatisticsTable.render(decision.statistics(), INDENT));
        }
        for (String reason : decision.reasons()) {
            text.append(INDENT).append("- ").append(reason).append('\n');
        }
    }

    private static String dataset(VersionView version) {
        if (version.datasetId() == null) {
            return "-";
        }
        return version.datasetId() + (version.datasetVersion() == null ? "" : " version " + version.datasetVersion());
    }

    /** The nearest ancestor: a registered version, or the checkpoint it was trained from. */
    private static String parent(VersionView version) {
        if (version.lineage().isEmpty()) {
            return version.parentCheckpoint() == null ? "- (trained from the base backbone)"
                    : "- (checkpoint " + version.parentCheckpoint() + ")";
        }
        VersionView.LineageEntry parent = version.lineage().get(0);
        if (parent.version() == null) {
            return "- (checkpoint " + parent.checkpoint() + ", not registered)";
        }
        return (parent.model().equals(version.model()) ? "" : parent.model() + " ") + parent.version()
                + " (" + parent.stage() + " of run " + parent.runId() + ")";
    }

    private static String ancestors(VersionView version) {
        List<String> chain = new ArrayList<>();
        for (VersionView.LineageEntry entry : version.lineage()) {
            if (entry.version() == null) {
                chain.add(entry.checkpoint() + " (not registered)");
            } else {
                chain.add((entry.model().equals(version.model()) ? "" : entry.model() + " ") + "v" + entry.version()
                        + " " + entry.stage());
            }
        }
        return String.join(" <- ", chain);
    }

    private static void field(StringBuilder text, String name, Object value) {
        text.append(INDENT).append(String.format("%-15s", name)).append(value == null ? "-" : value).append('\n');
    }
}
