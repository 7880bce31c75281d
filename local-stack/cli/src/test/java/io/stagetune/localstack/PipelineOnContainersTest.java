package io.stagetune.localstack;

import io.stagetune.common.Topics;
import io.stagetune.localstack.infrastructure.EmbeddedKafka;
import io.stagetune.localstack.infrastructure.ServiceProcess;
import io.stagetune.common.storage.ObjectStore;
import io.stagetune.common.storage.ObjectStoreSettings;
import io.stagetune.localstack.cli.PipelineCommand;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

import static io.stagetune.localstack.TestMachine.freePort;
import static io.stagetune.localstack.TestMachine.repositoryRoot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The whole path on the real Apache Kafka and MinIO images, the ones docker-compose runs: the four packaged
 * services as processes (as {@code pipeline up} starts them) pointed at the containers, the committed sample
 * ingested over REST, trained with the tiny backbone (HEAD, LAYER4, FULL), evaluated and promoted. Runs with
 * {@code ./mvnw verify -Pcontainers} (which packages the services first); where Docker is not available the
 * Testcontainers extension disables it ("disabledWithoutDocker is true and Docker is not available").
 */
@Tag("containers")
@Testcontainers(disabledWithoutDocker = true)
class PipelineOnContainersTest {

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.1");

    @Container
    static final MinIOContainer MINIO = new MinIOContainer("minio/minio:RELEASE.2025-04-22T22-12-26Z");

    @TempDir
    Path data;

    @Test
    void ingestedImagesAreTrainedEvaluatedAndPromoted() throws Exception {
        Path repository = repositoryRoot();
        Map<LocalStack.Service, Integer> ports = new EnumMap<>(LocalStack.Service.class);
        for (LocalStack.Service service : LocalStack.Service.values()) {
            Path runner = ServiceProcess.runner(repository, service.module());
            assumeTrue(Files.isRegularFile(runner), service.module() + " is not packaged (" + runner
                    + "); run ./mvnw verify -Pcontainers");
            ports.put(service, freePort());
        }
        // What docker-compose's kafka-init and minio-init do: every topic with its partitions, both buckets.
        EmbeddedKafka.createTopics(KAFKA.getBootstrapServers(), Topics.partitions());
        ObjectStoreSettings minio = new ObjectStoreSettings(MINIO.getS3URL(), MINIO.getUserName(),
                MINIO.getPassword(), null);
        ObjectStore store = new ObjectStore(minio);
        store.ensureBucket("datasets");
        store.ensureBucket("checkpoints");
        store.put("checkpoints", "_backbones/resnet-tiny.pt", repository.resolve("fixtures/backbones/resnet-tiny.pt"),
                "application/octet-stream");
        Map<String, String> trainer = Map.of(
                "trainer.models.fashion.dataset", "fashion",
                "trainer.models.fashion.base-backbone", "s3://checkpoints/_backbones/resnet-tiny.pt",
                "trainer.planner.debounce", "1s",
                "trainer.models.fashion.hyperparameters.maxEpochs", "1",
                "trainer.models.fashion.hyperparameters.preprocessing.resize", "36",
                "trainer.models.fashion.hyperparameters.preprocessing.crop", "32");
        LocalStack.Settings settings = new LocalStack.Settings(repository, data, 0, 0,
                Set.of(LocalStack.Service.values()), ports, Map.of(LocalStack.Service.TRAINER, trainer));

        try (LocalStack stack = LocalStack.startServices(settings, KAFKA.getBootstrapServers(), minio, line -> { })) {
            StringWriter ingested = new StringWriter();
            int exit = new CommandLine(new PipelineCommand()).setOut(new PrintWriter(ingested)).execute("ingest",
                    repository.resolve("fixtures/fashion-mnist-sample").toString(), "--dataset", "fashion",
                    "--url", stack.url(LocalStack.Service.INGEST), "--data-dir", data.toString());
            assertThat(exit).as(ingested.toString()).isZero();
            assertThat(ingested.toString()).contains("dataset fashion version 1: 800 images");
            assertThat(store.list("datasets", "fashion/images/")).hasSize(800);

            StringWriter watched = new StringWriter();
            exit = new CommandLine(new PipelineCommand()).setOut(new PrintWriter(watched)).execute("watch",
                    "fashion.fashion.v1", "--kafka", KAFKA.getBootstrapServers(), "--timeout", "PT15M");
            assertThat(exit).as(watched.toString()).isZero();
            assertThat(watched.toString()).contains("HEAD   checkpoint", "LAYER4 checkpoint", "FULL   checkpoint",
                    "FULL   test accuracy", "promoted to production");
            assertThat(store.exists("checkpoints", "fashion/fashion.fashion.v1/full/checkpoint.json")).isTrue();

            HttpResponse<String> production = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                            stack.url(LocalStack.Service.REGISTRY) + "/models/fashion/aliases/production/version"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(production.statusCode()).as(production.body()).isEqualTo(200);
            assertThat(production.body()).contains("s3://checkpoints/fashion/fashion.fashion.v1/");
        }
    }
}
