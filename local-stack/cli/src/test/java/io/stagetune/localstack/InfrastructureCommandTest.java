package io.stagetune.localstack;

import io.stagetune.localstack.infrastructure.LocalInfrastructure;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class InfrastructureCommandTest {

    @Test
    void commandDefaultsToFixedPortsInDotData() {
        InfrastructureCommand command = new InfrastructureCommand();
        new CommandLine(command).parseArgs();

        LocalInfrastructure.Settings settings = command.settings();
        assertThat(settings.dataDirectory()).isEqualTo(Path.of(".data"));
        assertThat(settings.kafkaPort()).isEqualTo(9092);
        assertThat(settings.s3Port()).isEqualTo(9000);
    }

    @Test
    void commandTakesPortsDirectoryAndCredentials() {
        InfrastructureCommand command = new InfrastructureCommand();
        new CommandLine(command).parseArgs("--data-dir", "/tmp/stack", "--kafka-port", "0", "--s3-port", "0",
                "--s3-access-key", "local", "--s3-secret-key", "local-secret");

        assertThat(command.settings()).isEqualTo(new LocalInfrastructure.Settings(Path.of("/tmp/stack"), 0, 0,
                "local", "local-secret"));
    }
}
