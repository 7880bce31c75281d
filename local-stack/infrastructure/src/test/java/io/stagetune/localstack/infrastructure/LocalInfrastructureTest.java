package io.stagetune.localstack.infrastructure;

import io.stagetune.common.Topics;
import io.stagetune.common.storage.ObjectStore;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
