package io.stagetune.localstack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.stagetune.localstack.cli.client.IngestClient;
import io.stagetune.localstack.cli.client.LabelResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** Answers one review item with a label, as a reviewer; the label becomes a dataset image when its batch seals. */
@Command(name = "label", mixinStandardHelpOptions = true,
        description = "Labels one item of a model's review queue (its id from `pipeline review`) with the ingest "
                + "reviewer token. The image joins the model's dataset, staged until the review batch seals a "
                + "version (batch-size labels, or batch-max-wait); --seal seals the staged labels now.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:labelled (or already labelled the same)", "1:refused (unknown model or item, a different "
                + "label already given, a label that fails validation or is not in the dataset, bad or missing token) "
                + "or ingest-service unreachable", "2:invalid options"})
final class LabelCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "Model name.")
    String model;

    @Parameters(index = "1", paramLabel = "ID", description = "Review item id (a prediction id, with .n for the "
            + "n-th image of a request of several).")
    String id;

    @Parameters(index = "2", paramLabel = "LABEL", description = "The image's true label.")
    String label;

    @Option(names = "--seal", description = "Then seal the staged labels into a dataset version now.")
    boolean seal;

    @Mixin
    IngestOptions ingest;

    @Mixin
    ReviewerTokenOptions reviewer;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            IngestClient client = ingest.client(reviewer.token());
            out.println(describe(model, client.label(model, id, label)));
            if (seal) {
                out.println(describeSeal(model, client.seal(model)));
            }
            out.flush();
            return 0;
        } catch (IngestClient.IngestError e) {
            spec.commandLine().getErr().println(e.getMessage());
            return 1;
        }
    }

    /** {@code fashion 3b1f…: bag -> dataset fashion-target, split train (a new image), staged ...}. */
    static String describe(String model, LabelResult result) {
        return model + " " + result.id() + ": " + result.label() + " -> dataset " + result.datasetId() + ", split "
                + result.split() + " (" + ("duplicate".equals(result.image()) ? "the dataset already holds the image"
                : "a new image") + "), " + (result.version() == null ? "staged until the review batch seals a version"
                : "sealed into version " + result.version());
    }

    /** What sealing did: the new version, or that nothing was staged. */
    static String describeSeal(String model, JsonNode sealed) {
        if (sealed.hasNonNull("version")) {
            return model + ": staged labels sealed into dataset " + sealed.path("datasetId").asText() + " version "
                    + sealed.path("version").asInt();
        }
        return model + ": " + (sealed.hasNonNull("message") ? sealed.path("message").asText() : "nothing sealed");
    }
}
