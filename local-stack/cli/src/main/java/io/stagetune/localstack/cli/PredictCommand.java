package io.stagetune.localstack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.stagetune.localstack.cli.client.ServingClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** Classifies image files with the version the serving-service serves now. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Classifies images through the serving-service: the top k labels of each and the version "
                + "that answered.")
final class PredictCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "Model name.")
    String model;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "IMAGE", description = "PNG or JPEG files.")
    List<Path> images;

    @Option(names = "-k", defaultValue = "3", description = "Labels per image (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--json", description = "Print the service's JSON answer as it is.")
    boolean json;

    @Option(names = "--url", defaultValue = "${env:SERVING_URL:-http://localhost:8085}",
            description = "serving-service URL (default: $SERVING_URL, else http://localhost:8085).")
    String url;

    @Option(names = "--token", defaultValue = "${env:SERVING_PREDICT_TOKEN}",
            description = "Bearer token with role predict (default: $SERVING_PREDICT_TOKEN; none on the local stack).")
    String token;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        try {
            JsonNode answer = new ServingClient(url, token).predict(model, images, k);
            if (json) {
                out.println(answer.toPrettyString());
            } else {
                describe(answer).forEach(out::println);
            }
            out.flush();
            return 0;
        } catch (ServingClient.ServingError e) {
            spec.commandLine().getErr().println(e.getMessage());
            return 1;
        }
    }

    /** {@code boot.png  ankle-boot 0.91  sneaker 0.06} per image, after a line naming the version. */
    static List<String> describe(JsonNode answer) {
        List<String> lines = new ArrayList<>();
        lines.add(answer.path("model").asText() + " version " + answer.path("version").asLong() + " ("
                + answer.path("alias").asText() + ") answered:");
        for (JsonNode image : answer.path("images")) {
            StringBuilder line = new StringBuilder("  ").append(image.path("name").asText());
            for (JsonNode top : image.path("top")) {
                line.append(String.format("  %s %.2f", top.path("label").asText(), top.path("probability").asDouble()));
            }
            lines.add(line.toString());
        }
        return lines;
    }
}
