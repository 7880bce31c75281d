package io.stagetune.localstack;

import io.stagetune.common.runtime.NativeAllocator;
import io.stagetune.localstack.infrastructure.ServiceProcess;

import io.stagetune.common.Topics;
import io.stagetune.common.dataset.DatasetVersion;
import io.stagetune.common.events.EventJson;
import io.stagetune.common.events.Split;
import io.stagetune.common.storage.ObjectKeys;
import io.stagetune.common.storage.ObjectStore;
import io.stagetune.testsupport.TopicEvents;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static io.stagetune.localstack.TestMachine.freePort;
import static io.stagetune.localstack.TestMachine.repositoryRoot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The local stack runs a service as its own process against the embedded broker and store, the CLI ingests a
 * folder through it into one version, and a restart on the same data folder continues where it stopped, with two
 * ingest replicas sharing its database and sixteen CLI calls at once reading (never rewriting) its credentials; the
 * trainer started beside the registry keeps its runs there.
 */
class LocalStackTest {

    @TempDir
    Path data;

    @TempDir
    Path images;

    @Test
    void ingestsThroughAServiceProcessAndContinuesAfterARestartWithTwoReplicas() throws Exception {
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

        // Again, with two ingest replicas sharing the stack's database: both see what the first run committed.
        try (LocalStack again = LocalStack.start(settings.withReplicas(Map.of(LocalStack.Service.INGEST, 2)),
                line -> { })) {
            List<String> replicas = again.urls(LocalStack.Service.INGEST);
            assertThat(replicas).hasSize(2).first().isEqualTo("http://localhost:" + ingestPort);
            for (String replica : replicas) {
                HttpResponse<String> dataset = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(replica + "/datasets/local")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(dataset.statusCode()).isEqualTo(200);
                assertThat(dataset.body()).contains("\"latestVersion\":1").contains("\"imageCount\":24");
            }
            assertThat(TopicEvents.read(again.kafkaBootstrapServers(), Topics.DATASET_EVENTS,
                    "local", 2, Duration.ofSeconds(20))).hasSize(2);

            // Sixteen CLI calls at once read the stack's credentials; none of them may change them.
            Path secrets = data.resolve("secrets.properties");
            byte[] before = Files.readAllBytes(secrets);
            ExecutorService calls = Executors.newFixedThreadPool(16);
            try {
                List<Future<String>> outcomes = new ArrayList<>();
                for (int call = 0; call < 16; call++) {
                    String dataset = "cli-" + call;
                    String replica = replicas.get(call % 2);
                    outcomes.add(calls.submit(() -> {
                        StringWriter output = new StringWriter();
                        int exit = new CommandLine(new PipelineCommand()).setOut(new PrintWriter(output))
                                .setErr(new PrintWriter(output)).execute("ingest", images.toString(),
                                        "--dataset", dataset, "--url", replica, "--data-dir", data.toString());
                        return exit + " " + output;
                    }));
                }
                for (Future<String> outcome : outcomes) {
                    assertThat(outcome.get()).startsWith("0 ").contains("version 1: 24 images");
                }
            } finally {
                calls.shutdownNow();
            }
            assertThat(Files.readAllBytes(secrets)).as("the stack's credentials are untouched").isEqualTo(before);
            HttpResponse<String> all = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(replicas.get(1) + "/datasets")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(all.body()).contains("\"datasetId\":\"cli-15\"").contains("\"datasetId\":\"local\"");
        }
    }

    @Test
    void theTrainerKeepsItsRunsInTheRegistryWhereTheCliListsThem() throws Exception {
        Path repository = repositoryRoot();
        for (String module : List.of("model-registry", "trainer-service")) {
            Path runner = ServiceProcess.runner(repository, module);
            assumeTrue(Files.isRegularFile(runner), module + " is not packaged (" + runner
                    + "); run the whole build (./mvnw verify) to include this test");
        }
        Map<LocalStack.Service, Integer> ports = new EnumMap<>(LocalStack.Service.class);
        ports.put(LocalStack.Service.REGISTRY, freePort());
        ports.put(LocalStack.Service.TRAINER, freePort());
        LocalStack.Settings settings = new LocalStack.Settings(repository, data, freePort(), freePort(),
                Set.of(LocalStack.Service.REGISTRY, LocalStack.Service.TRAINER), ports,
                Map.of(LocalStack.Service.TRAINER, Map.of("trainer.models.local.dataset", "local",
                        "trainer.models.local.base-backbone", "s3://checkpoints/_backbones/resnet-tiny.pt",
                        "trainer.models.local.plan", "HEAD")));

        List<String> progress = new ArrayList<>();
        try (LocalStack stack = LocalStack.start(settings, progress::add)) {
            // libtorch in the trainer allocates with tcmalloc where it is installed (NativeAllocator).
            NativeAllocator allocator = NativeAllocator.fromEnvironment();
            if (allocator.library() != null && System.getenv("LD_PRELOAD") == null) {
                assertThat(progress).contains("trainer, evaluator and serving: libtorch allocates with " + allocator);
                Path trainerLog = stack.processes().stream().filter(p -> p.name().equals("trainer-service"))
                        .findFirst().orElseThrow().log();
                assertThat(Files.readString(trainerLog)).contains("native allocator tcmalloc");
            }
            ObjectStore store = new ObjectStore(stack.objectStoreSettings());
            store.ensureBucket("datasets");
            DatasetVersion summary = new DatasetVersion("local", 1, null, Instant.now(),
                    ObjectKeys.manifest("local", 1), 3, List.of("bag"), Map.of("bag", Map.of(Split.TRAIN, 3)),
                    Map.of(Split.TRAIN, 3), List.of("bag"), null);
            store.put("datasets", ObjectKeys.versionSummary("local", 1), EventJson.writeBytes(summary),
                    "application/json");
            HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(stack.url(LocalStack.Service.TRAINER) + "/runs"))
                    .header("Authorization", "Bearer " + stack.secrets().adminToken())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"local\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

            StringWriter output = new StringWriter();
            int exit = new CommandLine(new PipelineCommand()).setOut(new PrintWriter(output))
                    .execute("runs", "--url", stack.url(LocalStack.Service.REGISTRY));
            assertThat(exit).as(output.toString()).isZero();
            assertThat(output.toString()).contains("local.local.v1").contains("manual by admin")
                    .containsPattern("HEAD:(PENDING|RUNNING|COMPLETED|FAILED)");
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
