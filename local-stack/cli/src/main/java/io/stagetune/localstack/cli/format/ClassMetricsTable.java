package io.stagetune.localstack.cli.format;

import io.stagetune.common.registry.Metrics;

/** Per-class metrics as a table, then the macro averages and the overall accuracy. */
public final class ClassMetricsTable {

    private ClassMetricsTable() {
    }

    public static String render(Metrics metrics, String indent) {
        TextTable table = new TextTable().left("label").right("accuracy").right("precision").right("F1")
                .right("images");
        long images = 0;
        for (Metrics.ClassMetrics perClass : metrics.perClass()) {
            table.row(perClass.label(), Formats.fraction(perClass.accuracy()), Formats.fraction(perClass.precision()),
                    Formats.fraction(perClass.f1()), perClass.support());
            images += perClass.support() == null ? 0 : perClass.support();
        }
        Integer evaluated = metrics.imagesEvaluated();
        table.separator().row("macro average", Formats.fraction(metrics.macroRecall()),
                Formats.fraction(metrics.macroPrecision()), Formats.fraction(metrics.macroF1()),
                evaluated != null ? evaluated : images);
        return table.render(indent) + indent + "overall accuracy " + Formats.fraction(metrics.accuracy()) + "\n";
    }
}
