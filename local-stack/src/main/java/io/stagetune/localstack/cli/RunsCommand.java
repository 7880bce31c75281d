package io.stagetune.localstack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.stagetune.common.events.EventJson;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** Runs as the model registry keeps them (the trainer records them there), with each stage's status. */
@Command(name = "runs", mixinStandardHelpOptions = true,
        description = "Lists training runs with their progress, oldest first (from the model registry).")
final class RunsCommand implements Callable<Integer> {

    @Option(names = "--url", defaultValue = "http://localhost:8084",
            description = "Model registry URL (default: ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--model", description = "Only this model's runs.")
    String model;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        String query = model == null ? "" : "?model=" + URLEncoder.encode(model, StandardCharsets.UTF_8);
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url + "/runs" + query)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            spec.commandLine().getErr().println("registry answered " + response.statusCode() + ": "
                    + response.body());
            return 1;
        }
        out.printf("%-32s %-12s %-14s %-8s %-10s %-36s %s%n", "run", "model", "dataset", "version", "status",
                "stages", "trigger");
        for (JsonNode run : EventJson.mapper().readTree(response.body())) {
            List<String> stages = new ArrayList<>();
            run.path("plan").forEach(stage -> stages.add(stage.asText() + ":"
                    + run.path("stages").path(stage.asText()).asText("?")));
            out.printf("%-32s %-12s %-14s %-8d %-10s %-36s %s%n", run.path("runId").asText(),
                    run.path("model").asText(), run.path("datasetId").asText(), run.path("datasetVersion").asInt(),
                    run.path("status").asText(), String.join(",", stages), run.path("trigger").asText());
        }
        return 0;
    }
}
