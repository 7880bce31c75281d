package io.stagetune.ingest.containers;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.stagetune.common.Topics;
import io.stagetune.localstack.infrastructure.EmbeddedKafka;
import io.stagetune.common.storage.ObjectStoreSettings;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.kafka.KafkaContainer;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

/**
 * Real Apache Kafka (KRaft) and MinIO in containers, configured like the embedded test resources
 * ({@code kafka.bootstrap.servers}, {@code pipeline.object-store.*}), so any service's {@code @QuarkusTest} can run
 * against them; the same images are the docker-compose ones. The whole path (ingest, train, evaluate) on them is
 * {@code PipelineOnContainersTest} in local-stack.
 * Where Docker is absent it starts nothing: the tests using it are disabled by
 * {@code @Testcontainers(disabledWithoutDocker = true)}.
 */
public class ContainerInfrastructure implements QuarkusTestResourceLifecycleManager {

    static final String KAFKA_IMAGE = "apache/kafka:4.1.1";
    static final String MINIO_IMAGE = "minio/minio:RELEASE.2025-04-22T22-12-26Z";

    /** Marks the test field that receives the running infrastructure. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Inject {
    }

    /** Where the containers answer. */
    public record Endpoints(String bootstrapServers, ObjectStoreSettings objectStore) {
    }

    private KafkaContainer kafka;
    private MinIOContainer minio;
    private Endpoints endpoints;

    @Override
    public Map<String, String> start() {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            return Map.of();
        }
        kafka = new KafkaContainer(KAFKA_IMAGE);
        minio = new MinIOContainer(MINIO_IMAGE);
        kafka.start();
        minio.start();
        // The topics with their production partition counts, as docker-compose's kafka-init creates them.
        EmbeddedKafka.createTopics(kafka.getBootstrapServers(), Topics.partitions());
        endpoints = new Endpoints(kafka.getBootstrapServers(),
                new ObjectStoreSettings(minio.getS3URL(), minio.getUserName(), minio.getPassword(), null));
        return Map.of(
                "kafka.bootstrap.servers", endpoints.bootstrapServers(),
                "pipeline.object-store.endpoint", endpoints.objectStore().endpoint(),
                "pipeline.object-store.access-key", endpoints.objectStore().accessKey(),
                "pipeline.object-store.secret-key", endpoints.objectStore().secretKey());
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(endpoints, new TestInjector.AnnotatedAndMatchesType(Inject.class, Endpoints.class));
    }

    @Override
    public void stop() {
        if (kafka != null) {
            kafka.stop();
        }
        if (minio != null) {
            minio.stop();
        }
    }
}
