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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "runs", mixinStandardHelpOptions = true, description = "Lists training runs, oldest first.")
final class RunsCommand implements Callable<Integer> {

    @Option(names = "--url", defaultValue = "http://localhost:8082",
            description = "Trainer service URL (default: ${DEFAULT-VALUE}).")
    String url;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url + "/runs")).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            spec.commandLine().getErr().println("trainer answered " + response.statusCode() + ": " + response.body());
            return 1;
        }
        out.printf("%-32s %-12s %-14s %-8s %-18s %s%n", "run", "model", "dataset", "version", "plan", "trigger");
        for (JsonNode run : EventJson.mapper().readTree(response.body())) {
            List<String> plan = new ArrayList<>();
            run.path("plan").forEach(stage -> plan.add(stage.asText()));
            out.printf("%-32s %-12s %-14s %-8d %-18s %s%n", run.path("runId").asText(), run.path("model").asText(),
                    run.path("datasetId").asText(), run.path("datasetVersion").asInt(), String.join(",", plan),
                    run.path("trigger").asText());
        }
        return 0;
    }
}
