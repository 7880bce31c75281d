package io.stagetune.localstack.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import io.stagetune.common.events.Stage;
import io.stagetune.common.registry.RunView;
import io.stagetune.localstack.cli.client.RegistryClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** Runs as the model registry keeps them (the trainer records them there), with each stage's status. */
@Command(name = "runs", mixinStandardHelpOptions = true,
        description = "Lists training runs with their progress, oldest first (from the model registry).")
final class RunsCommand implements Callable<Integer> {

    @Mixin
    RegistryOptions registry;

    @Option(names = "--model", description = "Only this model's runs.")
    String model;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<RunView> runs;
        try {
            runs = list(registry.client(null), model);
        } catch (RegistryClient.RegistryError e) {
            spec.commandLine().getErr().println(e.getMessage());
            return 1;
        }
        out.printf("%-32s %-12s %-14s %-8s %-10s %-36s %s%n", "run", "model", "dataset", "version", "status",
                "stages", "trigger");
        for (RunView run : runs) {
            List<String> stages = new ArrayList<>();
            for (Stage stage : run.plan()) {
                String status = run.stages() == null ? null : run.stages().get(stage.name());
                stages.add(stage + ":" + (status == null ? "?" : status));
            }
            out.printf("%-32s %-12s %-14s %-8d %-10s %-36s %s%n", run.runId(), run.model(), run.datasetId(),
                    run.datasetVersion(), run.status(), String.join(",", stages), run.trigger());
        }
        return 0;
    }

    /** The registry's runs, oldest first; only {@code model}'s when it is not null. */
    static List<RunView> list(RegistryClient registry, String model) {
        String query = model == null ? "" : "?model=" + URLEncoder.encode(model, StandardCharsets.UTF_8);
        return registry.get("/runs" + query, new TypeReference<List<RunView>>() { });
    }
}
