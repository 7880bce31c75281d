package io.stagetune.registry.service;

import io.stagetune.common.checkpoint.WarmStart;
import io.stagetune.common.dataset.DatasetVersion;
import io.stagetune.common.events.Split;
import io.stagetune.common.registry.AliasMoveView;
import io.stagetune.common.registry.Metrics;
import io.stagetune.common.registry.ModelView;
import io.stagetune.common.registry.PromotionStatistics;
import io.stagetune.common.registry.PromotionView;
import io.stagetune.common.registry.RunView;
import io.stagetune.common.registry.VersionView;
import io.stagetune.registry.api.AliasAtView;
import io.stagetune.registry.api.AliasView;
import io.stagetune.registry.api.EpochView;
import io.stagetune.registry.api.VersionQuery;
import io.stagetune.registry.api.VersionSummary;
import io.stagetune.registry.api.LiveFigures;
import io.stagetune.registry.client.IngestClient;
import io.stagetune.registry.console.Charts;
import io.stagetune.registry.console.Formats;
import io.stagetune.registry.console.Pages;
import jakarta.enterprise.context.ApplicationScoped;

import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Gathers what each console page shows from the registry's own services (the same reads as the JSON API), and
 * shapes it for the templates: numbers formatted once, charts drawn as SVG, matrices shaded.
 */
@ApplicationScoped
public class ConsoleService {

    private static final Pattern CLASS_REASON = Pattern.compile("^class ([^:]+): ");
    private static final Pattern THRESHOLD = Pattern.compile("((?:min|max)-[a-z-]+) ([0-9.]+)");

    private final ModelService models;
    private final VersionService versions;
    private final AliasService aliases;
    private final PromotionService promotions;
    private final RunService runs;
    private final IngestClient ingest;

    public ConsoleService(ModelService models, VersionService versions, AliasService aliases,
                          PromotionService promotions, RunService runs, IngestClient ingest) {
        this.models = models;
        this.versions = versions;
        this.aliases = aliases;
        this.promotions = promotions;
        this.runs = runs;
        this.ingest = ingest;
    }

    public Pages.ModelsPage models() {
        List<Pages.ModelRow> rows = new ArrayList<>();
        for (ModelView model : models.list()) {
            List<VersionSummary> all = versions.search(query(model.name(), null));
            Long production = model.aliases().get(AliasService.PRODUCTION);
            String productionAccuracy = all.stream().filter(v -> production != null && v.version() == production)
                    .findFirst().map(v -> fraction(v.accuracy())).orElse("–");
            List<Double> trend = all.stream().map(VersionSummary::accuracy).toList();
            String text = trend.isEmpty() ? "no versions" : "test accuracy of versions 1 to " + all.size() + ": "
                    + String.join(", ", trend.stream().map(ConsoleService::fraction).toList());
            rows.add(new Pages.ModelRow(model.name(), model.versions(), production, productionAccuracy,
                    Charts.sparkline(trend, text), text));
        }
        return new Pages.ModelsPage(rows);
    }

    /** The model page; {@code at} (ISO-8601 instant, optional) asks what production was then. */
    public Pages.ModelPage model(String name, String at) {
        ModelView model = models.get(name);
        List<AliasMoveView> moves = new ArrayList<>();
        for (AliasView alias : aliases.list(name)) {
            moves.addAll(aliases.history(name, alias.alias()));
        }
        moves.sort((a, b) -> b.movedAt().compareTo(a.movedAt()));
        AliasAtView productionAt = null;
        String atError = null;
        if (at != null && !at.isBlank()) {
            try {
                productionAt = aliases.at(name, AliasService.PRODUCTION, at.trim());
            } catch (RegistryException e) {
                atError = e.getMessage();
            }
        }
        return new Pages.ModelPage(model, versions.search(query(name, null)), moves, timeline(moves),
                at == null ? "" : at, productionAt, atError, promotions.list(name, null, null));
    }

    public Pages.VersionPage version(String model, long number) {
        VersionView version = versions.get(model, number);
        Metrics metrics = version.metrics();
        List<Pages.Row> overall = List.of(
                row("accuracy", metrics.accuracy()), row("macro precision", metrics.macroPrecision()),
                row("macro recall", metrics.macroRecall()), row("macro F1", metrics.macroF1()));
        List<String> fields = classFields();
        List<Pages.Row> classes = metrics.perClass().stream().map(perClass -> new Pages.Row(perClass.label(),
                fields.stream().map(field -> cell(value(perClass, field), !field.equals("support"))).toList()))
                .toList();
        List<String> labels = version.labels();
        String datasetCounts = null;
        if (version.datasetId() != null && version.datasetVersion() != null) {
            IngestClient.Versions found = ingest.versions(List.of(Map.entry(version.datasetId(),
                    version.datasetVersion())));
            DatasetVersion dataset = found.found().get(version.datasetId() + "/" + version.datasetVersion());
            datasetCounts = dataset == null ? found.unreachable()
                    : dataset.imageCount() + " images: " + dataset.counts().values().stream()
                    .flatMap(splits -> splits.entrySet().stream())
                    .collect(Collectors.groupingBy(e -> e.getKey().name().toLowerCase(Locale.ROOT),
                            LinkedHashMap::new, Collectors.summingInt(Map.Entry::getValue)))
                    .toString();
        }
        return new Pages.VersionPage(version, overall, fields, classes, labels,
                matrix(labels, metrics.confusionMatrix(), false), matrix(labels, metrics.confusionMatrix(), true),
                datasetCounts, warmStart(version.runId()));
    }

    public Pages.DecisionPage decision(String model, long id) {
        PromotionView decision = promotions.get(model, id);
        Metrics candidate = orEmpty(decision.candidateMetrics());
        Metrics production = orEmpty(decision.productionMetrics());
        List<Pages.Reason> reasons = decision.reasons().stream().map(ConsoleService::reason).toList();
        Set<String> labels = new LinkedHashSet<>();
        production.perClass().forEach(c -> labels.add(c.label()));
        candidate.perClass().forEach(c -> labels.add(c.label()));
        List<String> fields = classFields();
        List<Pages.DecisionRow> rows = new ArrayList<>();
        for (String label : labels) {
            Metrics.ClassMetrics before = forClass(production, label);
            Metrics.ClassMetrics after = forClass(candidate, label);
            List<Pages.Cell> cells = new ArrayList<>();
            for (String field : fields) {
                Double old = before == null ? null : value(before, field);
                Double now = after == null ? null : value(after, field);
                boolean isFraction = !field.equals("support");
                cells.add(cell(old, isFraction));
                cells.add(cell(now, isFraction));
                cells.add(change(old, now, isFraction));
            }
            Pages.Reason rule = reasons.stream().filter(r -> label.equals(r.label())).findFirst().orElse(null);
            rows.add(new Pages.DecisionRow(label, cells, rule));
        }
        List<String> matrixLabels = candidate.perClass().stream().map(Metrics.ClassMetrics::label).toList();
        return new Pages.DecisionPage(decision, fields, rows,
                reasons.stream().filter(r -> r.label() == null).toList(), matrixLabels,
                difference(matrixLabels, production, candidate), statistics(decision.statistics()),
                decision.productionVersion() == null ? null
                        : live(decision.productionVersion(), production, ingest.live(model,
                        decision.productionVersion())));
    }

    /**
     * Production's test-split accuracy per class beside its accuracy on live traffic. A class whose test figure lies
     * outside the live interval is marked {@code fail} (drift with confidence), otherwise {@code pass}.
     */
    static Pages.Live live(long version, Metrics production, IngestClient.Live live) {
        if (live.figures() == null) {
            return new Pages.Live(version, List.of(), live.unavailable());
        }
        LiveFigures figures = live.figures();
        List<Pages.LiveRow> rows = new ArrayList<>();
        rows.add(liveRow("whole model", production.accuracy(), figures.accuracy(), figures.labels(),
                figures.interval()));
        for (LiveFigures.ClassLine line : figures.classes()) {
            Metrics.ClassMetrics test = forClass(production, line.label());
            rows.add(liveRow(line.label(), test == null ? null : test.accuracy(), line.recall(), line.labels(),
                    line.interval()));
        }
        return new Pages.Live(version, rows, null);
    }

    private static Pages.LiveRow liveRow(String label, Double test, Double live, int labels, double[] interval) {
        boolean hasInterval = interval != null && interval.length == 2 && labels > 0;
        String outcome = test == null || !hasInterval ? "note"
                : test < interval[0] || test > interval[1] ? "fail" : "pass";
        return new Pages.LiveRow(label, fraction(test), fraction(live), Integer.toString(labels),
                hasInterval ? "[" + fraction(interval[0]) + ", " + fraction(interval[1]) + "]" : "–",
                test == null || live == null ? "–" : signed(live - test), outcome);
    }

    /** The paired gate's stored figures as the page prints them; null when the decision has none. */
    static Pages.Statistics statistics(PromotionStatistics stored) {
        if (stored == null) {
            return null;
        }
        return new Pages.Statistics(stored, stored.overall() == null ? null : comparison(stored.overall()),
                stored.perClass().stream().map(ConsoleService::comparison).toList());
    }

    private static Pages.StatisticsRow comparison(PromotionStatistics.Comparison c) {
        PromotionStatistics.Verdict verdict = c.verdict();
        return new Pages.StatisticsRow(c.label(), count(c.images()), count(c.gained()), count(c.lost()),
                fraction(c.productionAccuracy()), fraction(c.candidateAccuracy()), signed(c.difference()),
                c.lower() == null || c.upper() == null ? "–" : "[" + signed(c.lower()) + ", " + signed(c.upper()) + "]",
                pValue(c.pValue()), verdict == null ? "–" : verdict.name().replace('_', ' '),
                verdict == null ? "" : switch (verdict) {
                    case PASS -> "pass";
                    case FAIL -> "fail";
                    case NOT_ENOUGH_DATA -> "note";
                });
    }

    private static String count(Integer value) {
        return value == null ? "–" : value.toString();
    }

    /** A difference with its sign, three decimals. */
    static String signed(Double value) {
        return value == null ? "–" : String.format(Locale.ROOT, "%+.3f", value);
    }

    /** A p-value with three decimals, or {@code < 0.001} below that. */
    static String pValue(Double value) {
        if (value == null) {
            return "–";
        }
        return value < 0.001 ? "< 0.001" : String.format(Locale.ROOT, "%.3f", value);
    }

    /** The production version a version's run was warm-started from; null without one or without a known run. */
    private WarmStart warmStart(String runId) {
        if (runId == null) {
            return null;
        }
        try {
            return runs.get(runId).warmStart();
        } catch (RegistryException e) {
            return null;
        }
    }

        public Pages.RunsPage runs() {
        List<RunView> all = new ArrayList<>(runs.list(null, null));
        all.sort((a, b) -> b.createdAt().compareTo(a.createdAt()));
        return new Pages.RunsPage(all, all.stream().map(run -> duration(run.startedAt(), run.finishedAt())).toList());
    }

    public Pages.RunPage run(String runId) {
        RunView run = runs.get(runId);
        List<EpochView> epochs = runs.epochs(runId);
        int best = bestIndex(epochs);
        List<String> x = epochs.stream().map(e -> e.stage() + " " + e.epoch()).toList();
        List<Pages.StageRow> stages = new ArrayList<>();
        for (var stage : run.plan()) {
            List<EpochView> own = epochs.stream().filter(e -> e.stage() == stage).toList();
            long millis = own.stream().mapToLong(EpochView::durationMillis).sum();
            stages.add(new Pages.StageRow(stage.name(), run.stages().getOrDefault(stage.name(), "–"), own.size(),
                    own.isEmpty() ? "–" : duration(Duration.ofMillis(millis)),
                    own.stream().map(EpochView::valAccuracy).max(Double::compare).map(ConsoleService::fraction)
                            .orElse("–")));
        }
        var accuracy = Charts.lines("curve-accuracy", "train and validation accuracy per epoch", List.of(
                new Charts.Series("validation accuracy", "val", epochs.stream().map(EpochView::valAccuracy)
                        .map(Double::valueOf).toList()),
                new Charts.Series("train accuracy", "train", epochs.stream().map(EpochView::trainAccuracy)
                        .map(Double::valueOf).toList())), x, best);
        var loss = Charts.lines("curve-loss", "train loss per epoch", List.of(new Charts.Series("train loss", "loss",
                epochs.stream().map(EpochView::trainLoss).map(Double::valueOf).toList())), x, best);
        var speed = Charts.lines("curve-speed", "images per second per epoch", List.of(new Charts.Series(
                "images/s", "speed", epochs.stream().map(EpochView::imagesPerSecond).map(Double::valueOf).toList())),
                x, best);
        return new Pages.RunPage(run, duration(run.startedAt(), run.finishedAt()), stages, epochs, best, accuracy,
                loss, speed, versions.search(new VersionQuery(run.model(), runId, null, null, null, null, null)));
    }

    public Pages.DatasetsPage datasets() {
        Map<String, Map.Entry<String, Integer>> known = new LinkedHashMap<>();
        List<RunView> allRuns = runs.list(null, null);
        List<VersionSummary> allVersions = versions.search(query(null, null));
        allRuns.forEach(run -> known.putIfAbsent(run.datasetId() + "/" + run.datasetVersion(),
                Map.entry(run.datasetId(), run.datasetVersion())));
        allVersions.stream().filter(v -> v.datasetId() != null && v.datasetVersion() != null).forEach(v ->
                known.putIfAbsent(v.datasetId() + "/" + v.datasetVersion(), Map.entry(v.datasetId(),
                        v.datasetVersion())));
        IngestClient.Versions counts = ingest.versions(known.values());
        List<Pages.DatasetRow> rows = new ArrayList<>();
        for (var entry : known.entrySet()) {
            String id = entry.getValue().getKey();
            int number = entry.getValue().getValue();
            DatasetVersion dataset = counts.found().get(entry.getKey());
            List<String> splits = Arrays.stream(Split.values()).map(s -> s.name().toLowerCase(Locale.ROOT)).toList();
            List<Pages.Row> countRows = new ArrayList<>();
            if (dataset != null) {
                dataset.counts().forEach((label, perSplit) -> countRows.add(new Pages.Row(label,
                        Arrays.stream(Split.values()).map(split -> cell((double) perSplit.getOrDefault(split, 0),
                                false)).toList())));
            }
            rows.add(new Pages.DatasetRow(id, number,
                    allRuns.stream().filter(r -> r.datasetId().equals(id) && r.datasetVersion() == number).toList(),
                    allVersions.stream().filter(v -> id.equals(v.datasetId())
                            && Objects.equals(v.datasetVersion(), number)).toList(),
                    dataset == null ? List.of() : dataset.labels(), splits, countRows,
                    dataset == null ? (counts.unreachable() == null ? "ingest does not know this version"
                            : counts.unreachable()) : null));
        }
        rows.sort((a, b) -> a.datasetId().equals(b.datasetId()) ? Integer.compare(b.version(), a.version())
                : a.datasetId().compareTo(b.datasetId()));
        return new Pages.DatasetsPage(rows, ingest.url().orElse(null));
    }

    /** The numeric fields of a class's metrics, whatever the evaluator stores: the page follows the record. */
    static List<String> classFields() {
        return Arrays.stream(Metrics.ClassMetrics.class.getRecordComponents())
                .filter(c -> Number.class.isAssignableFrom(c.getType()) || c.getType().isPrimitive())
                .map(RecordComponent::getName).toList();
    }

    private static Double value(Metrics.ClassMetrics metrics, String field) {
        try {
            Object value = Metrics.ClassMetrics.class.getMethod(field).invoke(metrics);
            return value == null ? null : ((Number) value).doubleValue();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + field + " of a class's metrics", e);
        }
    }

    /** Reads the rule out of a stored reason: about which class, and whether it passed (the gate's own words). */
    static Pages.Reason reason(String text) {
        Matcher matcher = CLASS_REASON.matcher(text);
        String label = matcher.find() ? matcher.group(1) : null;
        String outcome = "note";
        if (text.contains(" exceeds ") || text.contains("does not beat") || text.contains("< min-")) {
            outcome = "fail";
        } else if (text.contains(" within ") || text.contains(">= min-") || text.startsWith("no production")) {
            outcome = "pass";
        }
        Matcher threshold = THRESHOLD.matcher(text);
        return new Pages.Reason(text, label, outcome, threshold.find() ? threshold.group(1) + " "
                + threshold.group(2) : null);
    }

    private static List<String> timeline(List<AliasMoveView> moves) {
        List<String> lines = new ArrayList<>();
        Map<String, Instant> until = new LinkedHashMap<>();
        for (AliasMoveView move : moves) {
            Instant end = until.get(move.alias());
            lines.add(move.alias() + " = version " + move.toVersion() + " from " + Formats.time(move.movedAt())
                    + (end == null ? " until now" : " until " + Formats.time(end)));
            until.put(move.alias(), move.movedAt());
        }
        return lines;
    }

    private static int bestIndex(List<EpochView> epochs) {
        int best = -1;
        for (int i = 0; i < epochs.size(); i++) {
            if (best < 0 || epochs.get(i).valAccuracy() > epochs.get(best).valAccuracy()) {
                best = i;
            }
        }
        return best;
    }

    private static List<Pages.MatrixRow> matrix(List<String> labels, List<List<Long>> counts, boolean normalised) {
        long max = counts.stream().flatMap(List::stream).mapToLong(Long::longValue).max().orElse(1);
        List<Pages.MatrixRow> rows = new ArrayList<>();
        for (int i = 0; i < counts.size(); i++) {
            List<Long> row = counts.get(i);
            long total = row.stream().mapToLong(Long::longValue).sum();
            String label = i < labels.size() ? labels.get(i) : "#" + i;
            List<Pages.MatrixCell> cells = new ArrayList<>();
            for (int j = 0; j < row.size(); j++) {
                long count = row.get(j);
                double share = normalised ? (total == 0 ? 0 : (double) count / total) : (double) count / Math.max(1,
                        max);
                cells.add(new Pages.MatrixCell(normalised ? fraction(share) : Long.toString(count),
                        Charts.heat(share), null));
            }
            rows.add(new Pages.MatrixRow(label, cells));
        }
        return rows;
    }

    private static List<Pages.MatrixRow> difference(List<String> labels, Metrics production, Metrics candidate) {
        List<List<Long>> before = production.confusionMatrix();
        List<List<Long>> after = candidate.confusionMatrix();
        if (before.isEmpty() || before.size() != after.size()) {
            return List.of();
        }
        long max = 1;
        for (int i = 0; i < after.size(); i++) {
            for (int j = 0; j < after.get(i).size(); j++) {
                max = Math.max(max, Math.abs(after.get(i).get(j) - before.get(i).get(j)));
            }
        }
        List<Pages.MatrixRow> rows = new ArrayList<>();
        for (int i = 0; i < after.size(); i++) {
            List<Pages.MatrixCell> cells = new ArrayList<>();
            for (int j = 0; j < after.get(i).size(); j++) {
                long change = after.get(i).get(j) - before.get(i).get(j);
                boolean better = i == j ? change > 0 : change < 0;
                String text = change == 0 ? "0" : String.format(Locale.ROOT, "%+d %s", change, better ? "▲" : "▼");
                cells.add(new Pages.MatrixCell(text, Charts.heat((double) Math.abs(change) / max),
                        change == 0 ? null : better ? "better" : "worse"));
            }
            rows.add(new Pages.MatrixRow(labels.get(i), cells));
        }
        return rows;
    }

    private static Metrics.ClassMetrics forClass(Metrics metrics, String label) {
        return metrics.perClass().stream().filter(c -> label.equals(c.label())).findFirst().orElse(null);
    }

    private static Metrics orEmpty(Metrics metrics) {
        return metrics == null ? new Metrics(null, null, null, null, null, null, null) : metrics;
    }

    private static VersionQuery query(String model, String runId) {
        return new VersionQuery(model, runId, null, null, null, null, null);
    }

    private static Pages.Row row(String name, Double value) {
        return new Pages.Row(name, List.of(cell(value, true)));
    }

    private static Pages.Cell cell(Double value, boolean isFraction) {
        if (value == null) {
            return new Pages.Cell("–", "", null);
        }
        String text = isFraction ? fraction(value) : String.format(Locale.ROOT, "%.0f", value);
        return new Pages.Cell(text, Double.toString(value), isFraction
                ? String.format(Locale.ROOT, "%.1f", Math.max(0, Math.min(1, value)) * 100) : null);
    }

    private static Pages.Cell change(Double before, Double after, boolean isFraction) {
        if (before == null || after == null) {
            return new Pages.Cell("–", "", null);
        }
        double change = after - before;
        String text = isFraction ? String.format(Locale.ROOT, "%+.3f", change)
                : String.format(Locale.ROOT, "%+.0f", change);
        if (text.matches("[+-]0(\\.0+)?")) {
            text = text.substring(1);
        }
        return new Pages.Cell(text, Double.toString(change), null);
    }

    static String fraction(Double value) {
        return Formats.fraction(value);
    }

    private static String duration(Instant start, Instant end) {
        if (start == null) {
            return "–";
        }
        return duration(Duration.between(start, end == null ? Instant.now() : end)) + (end == null ? " so far" : "");
    }

    private static String duration(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        return seconds >= 60 ? (seconds / 60) + " min " + (seconds % 60) + " s"
                : String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }
}
