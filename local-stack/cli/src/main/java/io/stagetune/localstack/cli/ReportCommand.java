package io.stagetune.localstack.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import io.stagetune.common.events.EventJson;
import io.stagetune.common.events.Stage;
import io.stagetune.common.registry.AliasMoveView;
import io.stagetune.common.registry.Metrics;
import io.stagetune.common.registry.ModelView;
import io.stagetune.common.registry.PromotionView;
import io.stagetune.common.registry.VersionView;
import io.stagetune.localstack.cli.client.RegistryClient.RegistryError;
import io.stagetune.localstack.cli.client.IngestClient;
import io.stagetune.localstack.cli.client.LiveFigures;
import io.stagetune.localstack.cli.client.RegistryClient;
import io.stagetune.localstack.cli.format.LiveFiguresTable;
import io.stagetune.localstack.cli.format.VersionReport;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

/** What a model serves and how good it is, from the registry. */
@Command(name = "report",
        description = {"Reports a model's production version (or another one): metrics per class, macro averages, "
                + "overall accuracy, the confusion matrix, lineage, the latest promotion candidate with its decision, "
                + "and the alias's history; then the version's live figures from the ingest-service (audit labels of "
                + "production traffic, lines starting with 'live'): per class the labels, the live recall with its "
                + "95%% interval and the test-split accuracy beside it.", ""},
        footerHeading = "%n--json prints one document with these fields (stable; null when unknown):%n",
        footer = {
                "  model, version, alias (the alias asked for; null with --version),",
                "  aliases (pointing at this version now), runId, stage (HEAD|LAYER4|FULL),",
                "  checkpoint, parentVersion (same model; null if none), parentCheckpoint,",
                "  datasetId, datasetVersion, baseBackbone, createdAt (ISO-8601, UTC),",
                "  labels (in the head's order),",
                "  lineage [{model, version, stage, runId, checkpoint}] (nearest first),",
                "  metrics {accuracy, macroPrecision, macroRecall, macroF1, imagesEvaluated,",
                "    perClass [{label, accuracy, precision, recall, f1, support}],",
                "    confusionMatrix [[n]] (rows: true label, columns: predicted, labels' order)}"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:reported", "1:unknown model or version, alias not set, or registry unreachable",
                "2:invalid options"})
final class ReportCommand implements Callable<Integer> {

    static final String PRODUCTION = "production";

    @Parameters(index = "0", description = "Model name.")
    String model;

    @ArgGroup(exclusive = true)
    Selection selection = new Selection();

    static final class Selection {
        @Option(names = "--version", paramLabel = "N", description = "Report this version.")
        Long version;

        @Option(names = "--alias", paramLabel = "A", description = "Report the version this alias points at "
                + "(default: production); its history is shown.")
        String alias;
    }

    @Option(names = "--json", description = "Print the version with its metrics as one JSON document (fields below).")
    boolean json;

    @Option(names = "--ingest-url", defaultValue = "${env:INGEST_URL:-http://localhost:8081}",
            description = "ingest-service URL for the live figures (default: $INGEST_URL, else http://localhost:8081).")
    String ingestUrl;

    @Option(names = "--window", paramLabel = "N",
            description = "Live figures from the newest N audit labels (default: the review policy's window).")
    Integer window;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Mixin
    RegistryOptions registry;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The document {@code --json} prints; its field names are part of the CLI's contract (see the help). */
    record VersionDocument(String model, long version, String alias, List<String> aliases, String runId, Stage stage,
                           String checkpoint, Long parentVersion, String parentCheckpoint, String datasetId,
                           Integer datasetVersion, String baseBackbone, Instant createdAt, List<String> labels,
                           List<VersionView.LineageEntry> lineage, Metrics metrics) {

        static VersionDocument of(VersionView version, String alias) {
            Long parentVersion = version.lineage().isEmpty()
                    || !version.model().equals(version.lineage().get(0).model())
                    ? null : version.lineage().get(0).version();
            return new VersionDocument(version.model(), version.version(), alias, version.aliases(),
                    version.runId(), version.stage(), version.checkpoint(), parentVersion, version.parentCheckpoint(),
                    version.datasetId(), version.datasetVersion(), version.baseBackbone(), version.createdAt(),
                    version.labels(), version.lineage(), version.metrics());
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        String alias = selection.version == null && selection.alias == null ? PRODUCTION : selection.alias;
        try {
            RegistryClient client = registry.client(null);
            ModelView found = model(client);
            long number = selection.version != null ? selection.version : aliasTarget(found, alias);
            VersionView version = client.get(RegistryClient.path("models", model, "versions", number),
                    VersionView.class);
            if (json) {
                out.println(EventJson.write(VersionDocument.of(version, alias)));
                out.flush();
                return 0;
            }
            String historyAlias = alias == null ? PRODUCTION : alias;
            List<AliasMoveView> history = client.get(RegistryClient.path("models", model, "aliases", historyAlias,
                    "history"), new TypeReference<>() { });
            List<PromotionView> decisions = client.get(RegistryClient.path("models", model, "promotions"),
                    new TypeReference<>() { });
            out.print(VersionReport.render(version, found.aliases().get(PRODUCTION),
                    decisions.isEmpty() ? null : decisions.get(0), historyAlias, history));
            out.print(live(version));
            out.flush();
            return 0;
        } catch (RegistryError e) {
            spec.commandLine().getErr().println(e.getMessage());
            return 1;
        }
    }

    /**
     * The version's live figures from the ingest-service, or a line saying why there are none: the report of the
     * registry's figures stands without them.
     */
    private String live(VersionView version) {
        String heading = "\nLive figures from audit labels of production traffic (ingest-service)\n";
        try {
            LiveFigures live = new IngestClient(ingestUrl, null).live(model, version.version(), window);
            return heading + LiveFiguresTable.render(live, version.metrics());
        } catch (IngestClient.IngestError e) {
            return heading + LiveFiguresTable.PREFIX + (e.status() == 404 ? "version " + version.version()
                    + ": no audit labels yet" : "not available: " + e.getMessage()) + "\n";
        }
    }

    /** The model, or an error that names the models the registry does know. */
    private ModelView model(RegistryClient client) {
        try {
            return client.get(RegistryClient.path("models", model), ModelView.class);
        } catch (RegistryError e) {
            if (e.status() != 404) {
                throw e;
            }
            List<String> known = client.get("/models", new TypeReference<List<ModelView>>() { }).stream()
                    .map(ModelView::name).toList();
            throw new RegistryError(404, "unknown model '" + model + "' in the registry at " + registry.url
                    + (known.isEmpty() ? " (it has no models yet)" : "; it knows " + String.join(", ", known)));
        }
    }

    private long aliasTarget(ModelView found, String alias) {
        Long target = found.aliases().get(alias);
        if (target == null) {
            throw new RegistryError(404, "model '" + model + "' has no " + alias + " version yet ("
                    + found.versions() + " version" + (found.versions() == 1 ? "" : "s")
                    + (found.latestVersion() == null ? "" : ", newest " + found.latestVersion()
                    + "; `pipeline report " + model + " --version " + found.latestVersion() + "` reports it") + ")");
        }
        return target;
    }
}
