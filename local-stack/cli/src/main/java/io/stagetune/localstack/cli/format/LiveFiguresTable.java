package io.stagetune.localstack.cli.format;

import io.stagetune.common.registry.Metrics;
import io.stagetune.localstack.cli.client.LiveFigures;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A served version's live figures (from audit labels of production traffic) as lines that each start with
 * {@value #PREFIX}, so that scripts and readers find them: per class the labels, the live recall with its 95%
 * interval and, beside it, the same version's accuracy on its test split; or two versions' live figures side by side.
 */
public final class LiveFiguresTable {

    public static final String PREFIX = "live  ";

    private LiveFiguresTable() {
    }

    /**
     * One version's live figures; {@code test} is that version's test-split metrics (null when unknown), whose
     * per-class accuracy stands beside the live recall.
     */
    public static String render(LiveFigures live, Metrics test) {
        Map<String, Double> tested = new LinkedHashMap<>();
        if (test != null) {
            test.perClass().forEach(perClass -> tested.put(perClass.label(), perClass.accuracy()));
        }
        StringBuilder text = new StringBuilder(PREFIX).append(String.format(Locale.ROOT,
                "version %d: accuracy %s %s on the newest %d audit label%s (%d right%s)", live.version(),
                Formats.fraction(live.accuracy()), Formats.interval(live.interval()), live.labels(),
                live.labels() == 1 ? "" : "s", live.correct(),
                live.window() == null ? "" : ", window " + live.window()));
        if (test != null) {
            text.append("; test split ").append(Formats.fraction(test.accuracy()));
        }
        text.append('\n');
        TextTable table = new TextTable().left("class").right("labels").right("right").right("live recall")
                .left("interval").right("precision").right("test v" + live.version());
        List<String> shown = new ArrayList<>();
        for (LiveFigures.ClassFigures perClass : live.classes()) {
            table.row(perClass.label(), perClass.labels(), perClass.correct(), Formats.fraction(perClass.recall()),
                    Formats.interval(perClass.interval()), Formats.fraction(perClass.precision()),
                    Formats.fraction(tested.get(perClass.label())));
            shown.add(perClass.label());
        }
        tested.forEach((label, accuracy) -> {
            if (!shown.contains(label)) {
                table.row(label, 0, 0, "-", "-", "-", Formats.fraction(accuracy));
            }
        });
        text.append(table.render(PREFIX));
        LiveFigures.Shadow shadow = live.shadow();
        if (shadow != null) {
            text.append(PREFIX).append(String.format(Locale.ROOT, "shadow version %d: agrees with version %d on %s"
                    + " of %d predictions", shadow.version(), live.version(), Formats.fraction(shadow.agreement()),
                    shadow.predictions()));
            if (shadow.labels() != null && shadow.labels() > 0) {
                text.append(String.format(Locale.ROOT, "; accuracy %s %s on %d audit labels",
                        Formats.fraction(shadow.accuracy()), Formats.interval(shadow.interval()), shadow.labels()));
            }
            text.append('\n');
        }
        return text.toString();
    }

    /** Two versions' live figures per class, before and after, with the change (the same version when it stayed). */
    public static String compare(LiveFigures before, LiveFigures after) {
        String was = before.version() == after.version() ? "before" : "v" + before.version();
        String now = before.version() == after.version() ? "after" : "v" + after.version();
        StringBuilder text = new StringBuilder();
        text.append(PREFIX).append(headline("before", before)).append('\n');
        text.append(PREFIX).append(headline("after ", after)).append('\n');
        Map<String, LiveFigures.ClassFigures> earlier = new LinkedHashMap<>();
        before.classes().forEach(perClass -> earlier.put(perClass.label(), perClass));
        TextTable table = new TextTable().left("class").right("labels").right(was).right("labels").right(now)
                .right("change");
        List<String> shown = new ArrayList<>();
        for (LiveFigures.ClassFigures perClass : after.classes()) {
            LiveFigures.ClassFigures old = earlier.get(perClass.label());
            table.row(perClass.label(), old == null ? 0 : old.labels(), Formats.fraction(old == null ? null
                    : old.recall()), perClass.labels(), Formats.fraction(perClass.recall()),
                    Formats.change(old == null ? null : old.recall(), perClass.recall()));
            shown.add(perClass.label());
        }
        earlier.forEach((label, old) -> {
            if (!shown.contains(label)) {
                table.row(label, old.labels(), Formats.fraction(old.recall()), 0, "-", "");
            }
        });
        table.separator().row("accuracy", before.labels(), Formats.fraction(before.accuracy()), after.labels(),
                Formats.fraction(after.accuracy()), Formats.change(before.accuracy(), after.accuracy()));
        return text.append(table.render(PREFIX)).toString();
    }

    private static String headline(String when, LiveFigures live) {
        return String.format(Locale.ROOT, "%s: version %d, accuracy %s %s on %d audit label%s", when, live.version(),
                Formats.fraction(live.accuracy()), Formats.interval(live.interval()), live.labels(),
                live.labels() == 1 ? "" : "s");
    }
}
