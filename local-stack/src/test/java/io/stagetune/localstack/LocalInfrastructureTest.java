package io.stagetune.localstack;

import io.stagetune.common.Topics;
import io.stagetune.common.storage.ObjectStore;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LocalInfrastructureTest {

    @Test
    void startsKafkaAndS3UnderOneDataDirectory(@TempDir Path data) throws Exception {
        LocalInfrastructure.Settings settings = LocalInfrastructure.Settings.defaults()
                .withDataDirectory(data)
                .withPorts(0, 0);

        try (LocalInfrastructure infrastructure = LocalInfrastructure.start(settings)) {
            try (Admin admin = Admin.create(Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.kafkaBootstrapServers()))) {
                assertThat(admin.listTopics().names().get()).contains(Topics.DATASET_EVENTS);
            }
            ObjectStore store = new ObjectStore(infrastructure.objectStoreSettings());
            store.ensureBucket("datasets");
            store.put("datasets", "shop/manifests/v1.jsonl", bytes("{}"), "application/x-ndjson");
            assertThat(store.get("datasets", "shop/manifests/v1.jsonl")).isEqualTo(bytes("{}"));

            assertThat(infrastructure.dataDirectory()).isEqualTo(data.toAbsolutePath().normalize());
            assertThat(data.resolve("kafka")).isDirectory();
            assertThat(data.resolve("s3/datasets")).isDirectory();
        }
    }

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

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
