package io.stagetune.localstack.cli;

import io.stagetune.localstack.LocalStack;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class UpCommandTest {

    @Test
    void defaultsToTheFixedPorts() {
        UpCommand command = new UpCommand();
        new CommandLine(command).parseArgs();

        LocalStack.Settings settings = command.settings();
        assertThat(settings.kafkaPort()).isEqualTo(9092);
        assertThat(settings.s3Port()).isEqualTo(9000);
        assertThat(settings.ports()).containsEntry(LocalStack.Service.INGEST, 8081)
                .containsEntry(LocalStack.Service.REGISTRY, 8084);
        assertThat(settings.replicas(LocalStack.Service.INGEST)).isEqualTo(1);
    }

    @Test
    void runsSeveralReplicasOfAServiceWhenAsked() {
        UpCommand command = new UpCommand();
        new CommandLine(command).parseArgs("--replicas", "ingest-service=2");

        LocalStack.Settings settings = command.settings();
        assertThat(settings.replicas(LocalStack.Service.INGEST)).isEqualTo(2);
        assertThat(settings.replicas(LocalStack.Service.TRAINER)).isEqualTo(1);
    }

    @Test
    void refusesReplicasOfTheRegistryAndCountsBelowOne() {
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new PipelineCommand()).setErr(new PrintWriter(err))
                .execute("up", "--replicas", "model-registry=2");
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--replicas: model-registry runs one process on the local stack");

        err = new StringWriter();
        exit = new CommandLine(new PipelineCommand()).setErr(new PrintWriter(err))
                .execute("up", "--replicas", "ingest-service=0");
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--replicas: ingest-service: replicas must be at least 1, not 0");
    }

    @Test
    void takesEveryPortSoTwoStacksCanRunSideBySide() {
        UpCommand command = new UpCommand();
        new CommandLine(command).parseArgs("--data-dir", "/tmp/other", "--kafka-port", "19092", "--s3-port", "19000",
                "--port", "ingest-service=18081", "--port", "model-registry=18084");

        LocalStack.Settings settings = command.settings();
        assertThat(settings.dataDirectory()).isEqualTo(Path.of("/tmp/other"));
        assertThat(settings.kafkaPort()).isEqualTo(19092);
        assertThat(settings.s3Port()).isEqualTo(19000);
        assertThat(settings.ports()).isEqualTo(Map.of(LocalStack.Service.INGEST, 18081,
                LocalStack.Service.TRAINER, 8082, LocalStack.Service.EVALUATOR, 8083,
                LocalStack.Service.REGISTRY, 18084, LocalStack.Service.SERVING, 8085));
    }

    @Test
    void refusesAnUnknownServiceNamingTheKnownOnes() {
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new PipelineCommand()).setErr(new PrintWriter(err))
                .execute("up", "--port", "ingest=18081");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--port ingest: no such service; one of model-registry, ingest-service, "
                + "trainer-service, evaluator-service");
    }
}
