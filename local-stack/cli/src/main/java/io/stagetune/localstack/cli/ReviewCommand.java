package io.stagetune.localstack.cli;

import io.stagetune.localstack.cli.client.IngestClient;
import io.stagetune.localstack.cli.client.ReviewQueue;
import io.stagetune.localstack.cli.format.ReviewQueueTable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** The review queue of a model, from the ingest-service. */
@Command(name = "review", mixinStandardHelpOptions = true,
        description = "Lists a model's review queue: predictions picked for a label because the served version was "
                + "unsure (uncertain) or at random (audit), oldest first. `pipeline label` answers one.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:listed", "1:unknown model (no review policy and no item) or ingest-service unreachable",
                "2:invalid options"})
final class ReviewCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "Model name.")
    String model;

    @Option(names = "--label", paramLabel = "L", description = "Only items the served version predicted as L.")
    String label;

    @Option(names = "--reason", paramLabel = "uncertain|audit", description = "Only items picked for this reason.")
    Reason reason;

    @Option(names = "--all", description = "Labelled items too (default: open items only).")
    boolean all;

    @Option(names = "--limit", defaultValue = "100", paramLabel = "N",
            description = "At most N items (default: ${DEFAULT-VALUE}).")
    int limit;

    @Mixin
    IngestOptions ingest;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    enum Reason { uncertain, audit }

    @Override
    public Integer call() {
        if (limit < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--limit must be at least 1, not " + limit);
        }
        PrintWriter out = spec.commandLine().getOut();
        try {
            ReviewQueue queue = ingest.client(null).review(model, label, reason == null ? null : reason.name(),
                    all ? "all" : "open", limit);
            out.print(ReviewQueueTable.render(queue, ""));
            out.flush();
            return 0;
        } catch (IngestClient.IngestError e) {
            spec.commandLine().getErr().println(e.getMessage());
            return 1;
        }
    }
}
