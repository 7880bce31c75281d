package io.stagetune.registry.console;

import io.quarkus.qute.RawString;
import io.stagetune.common.checkpoint.WarmStart;
import io.stagetune.common.registry.AliasMoveView;
import io.stagetune.common.registry.ModelView;
import io.stagetune.common.registry.PromotionStatistics;
import io.stagetune.common.registry.PromotionView;
import io.stagetune.common.registry.RunView;
import io.stagetune.common.registry.VersionView;
import io.stagetune.registry.api.AliasAtView;
import io.stagetune.registry.api.EpochView;
import io.stagetune.registry.api.VersionSummary;

import java.util.List;

/** What each console page shows, computed by {@code ConsoleService} and rendered by the Qute templates. */
public final class Pages {

    private Pages() {
    }

    /** A number as printed (3 decimals), with a bar length in percent where it is a fraction. */
    public record Cell(String text, String sort, String percent) {
    }

    public record Row(String label, List<Cell> cells) {
    }

    /** A heat-map cell: its number, its shade ({@code h0}..{@code h9}) and, where it says more, a title. */
    public record MatrixCell(String text, String shade, String title) {
    }

    public record MatrixRow(String label, List<MatrixCell> cells) {
    }

    public record ModelRow(String name, long versions, Long production, String productionAccuracy, RawString trend,
                           String trendText) {
    }

    public record ModelsPage(List<ModelRow> models) {
    }

    public record ModelPage(ModelView model, List<VersionSummary> versions, List<AliasMoveView> moves,
                            List<String> timeline, String at, AliasAtView productionAt, String atError,
                            List<PromotionView> decisions) {
    }

    public record VersionPage(VersionView version, List<Row> overall, List<String> classFields, List<Row> classes,
                              List<String> labels, List<MatrixRow> counts, List<MatrixRow> normalised,
                              String datasetCounts, WarmStart warmStart) {
    }

    /**
     * One rule of the gate as the stored reasons state it: the text, the class it is about (null: the whole model), its
     * outcome ({@code pass}, {@code fail} or {@code note}) and the threshold it names, if any.
     */
    public record Reason(String text, String label, String outcome, String threshold) {
    }

    /** A class of a decision: per stored field production, candidate and change, and the rule about the class. */
    public record DecisionRow(String label, List<Cell> cells, Reason rule) {
    }

    /**
     * One comparison of the paired gate as stored: the whole model (label null) or a class, its figures formatted, and
     * its verdict as words ({@code PASS}, {@code FAIL}, {@code NOT ENOUGH DATA}) with the outcome class that shades it.
     */
    public record StatisticsRow(String label, String images, String gained, String lost, String production,
                                String candidate, String difference, String interval, String pValue, String verdict,
                                String outcome) {
    }

    /** The paired gate's settings and comparisons; null on the page for decisions without statistics. */
    public record Statistics(PromotionStatistics stored, StatisticsRow overall, List<StatisticsRow> perClass) {
    }

    public record DecisionPage(PromotionView decision, List<String> fields, List<DecisionRow> classes,
                               List<Reason> reasons, List<String> labels, List<MatrixRow> difference,
                               Statistics statistics, Live live) {
    }

    /**
     * The decision's production version on live traffic beside its test-split figures: per class the test-split
     * accuracy, the live accuracy with its labels and interval, and the change (live minus test). {@code note} says
     * why there are no rows (no audit labels yet, ingest unreachable).
     */
    public record Live(long version, List<LiveRow> rows, String note) {
    }

    public record LiveRow(String label, String test, String live, String labels, String interval, String drift,
                          String outcome) {
    }

    /** What a console page asked for and did not find, said on an HTML page. */
    public record NotFoundPage(String message, String path) {
    }

    public record StageRow(String stage, String status, int epochs, String duration, String bestValAccuracy) {
    }

    public record RunsPage(List<RunView> runs, List<String> durations) {
    }

    public record RunPage(RunView run, String duration, List<StageRow> stages, List<EpochView> epochs,
                          int bestIndex, RawString accuracy, RawString loss, RawString speed,
                          List<VersionSummary> versions) {
    }

    /** A dataset version the registry knows of, what it triggered, and its counts from ingest when reachable. */
    public record DatasetRow(String datasetId, int version, List<RunView> runs, List<VersionSummary> versions,
                             List<String> labels, List<String> splits, List<Row> counts, String countsNote) {
    }

    public record DatasetsPage(List<DatasetRow> datasets, String ingest) {
    }
}
