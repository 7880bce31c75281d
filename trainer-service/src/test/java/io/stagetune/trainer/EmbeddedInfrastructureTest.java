package io.stagetune.trainer;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stagetune.common.Topics;
import io.stagetune.localstack.infrastructure.EmbeddedKafka;
import io.stagetune.localstack.infrastructure.EmbeddedS3;
import io.stagetune.testsupport.InjectKafka;
import io.stagetune.testsupport.InjectS3;
import io.stagetune.testsupport.KafkaTestResource;
import io.stagetune.testsupport.S3TestResource;
import io.stagetune.common.storage.ObjectStore;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared test resources wire the application to the embedded broker and store, and hand both to tests. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(S3TestResource.class)
class EmbeddedInfrastructureTest {

    @InjectKafka
    EmbeddedKafka kafka;

    @InjectS3
    EmbeddedS3 s3;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    ObjectStore objectStore;

    @Test
    void applicationKafkaConfigPointsAtTheInjectedBroker() throws Exception {
        assertThat(kafka).isNotNull();
        assertThat(bootstrapServers).isEqualTo(kafka.bootstrapServers());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            assertThat(admin.listTopics().names().get()).containsAll(Topics.partitions().keySet());
        }
    }

    @Test
    void applicationObjectStoreWritesToTheInjectedStore() {
        assertThat(s3).isNotNull();
        objectStore.ensureBucket("checkpoints");
        objectStore.put("checkpoints", "fashion/run-1/head/checkpoint.json", "{}".getBytes(StandardCharsets.UTF_8),
                "application/json");

        ObjectStore direct = new ObjectStore(s3.settings());
        assertThat(direct.get("checkpoints", "fashion/run-1/head/checkpoint.json"))
                .isEqualTo("{}".getBytes(StandardCharsets.UTF_8));
    }
}
