package io.stagetune.localstack;

import io.stagetune.common.embedded.ServiceProcess;

import io.stagetune.common.Topics;
import io.stagetune.common.embedded.TopicEvents;
import io.stagetune.common.events.DatasetVersionCreated;
import io.stagetune.common.events.PipelineEvent;
import io.stagetune.localstack.cli.PipelineCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static io.stagetune.localstack.TestMachine.freePort;
import static io.stagetune.localstack.TestMachine.repositoryRoot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The local stack runs a service as its own process against the embedded broker and store, the CLI ingests a
 * folder through it into one version, and a restart on the same data folder continues where it stopped.
 */
class LocalStackTest {

    @TempDir
    Path data;

    @TempDir
    Path images;

    @Test
    void ingestsThroughAServiceProcessAndContinuesAfterARestart() throws Exception {
        Path repository = repositoryRoot();
        Path runner = ServiceProcess.runner(repository, "ingest-service");
        assumeTrue(Files.isRegularFile(runner), "ingest-service is not packaged (" + runner
                + "); run the whole build (./mvnw verify) to include this test");
        copySample(repository.resolve("fixtures/fashion-mnist-sample/train"), List.of("bag", "coat"), 12);
        int kafkaPort = freePort();
        int s3Port = freePort();
        int ingestPort = freePort();
        Map<LocalStack.Service, Integer> ports = new EnumMap<>(LocalStack.Service.class);
        ports.put(LocalStack.Service.INGEST, ingestPort);
        LocalStack.Settings settings = new LocalStack.Settings(repository, data, kafkaPort, s3Port,
                Set.of(LocalStack.Service.INGEST), ports, Map.of());

        try (LocalStack stack = LocalStack.start(settings, line -> { })) {
            StringWriter output = new StringWriter();
            int exit = new CommandLine(new PipelineCommand()).setOut(new PrintWriter(output))
                    .execute("ingest", images.toString(), "--dataset", "local", "--batch", "10",
                            "--url", stack.url(LocalStack.Service.INGEST), "--data-dir", data.toString());
            assertThat(exit).as(output.toString()).isZero();
            assertThat(output.toString()).contains("dataset local version 1: 24 images");
            List<PipelineEvent> events = TopicEvents.read(stack.kafkaBootstrapServers(),
                    Topics.DATASET_EVENTS, "local", 2, Duration.ofSeconds(20));
            assertThat(events).hasSize(2);
            assertThat(((DatasetVersionCreated) events.get(1)).imageCount()).isEqualTo(24);
        }

        try (LocalStack again = LocalStack.start(settings, line -> { })) {
            HttpResponse<String> dataset = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(again.url(LocalStack.Service.INGEST) + "/datasets/local")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(dataset.statusCode()).isEqualTo(200);
            assertThat(dataset.body()).contains("\"latestVersion\":1").contains("\"imageCount\":24");
            assertThat(TopicEvents.read(again.kafkaBootstrapServers(), Topics.DATASET_EVENTS,
                    "local", 2, Duration.ofSeconds(20))).hasSize(2);
        }
    }

    private void copySample(Path sample, List<String> labels, int perLabel) throws IOException {
        for (String label : labels) {
            Path target = Files.createDirectories(images.resolve(label));
            try (Stream<Path> files = Files.list(sample.resolve(label))) {
                for (Path file : files.sorted().limit(perLabel).toList()) {
                    Files.copy(file, target.resolve(file.getFileName()));
                }
            }
        }
    }
}
