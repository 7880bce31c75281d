package io.stagetune.localstack.infrastructure;

import io.stagetune.localstack.infrastructure.EmbeddedKafka;
import io.stagetune.localstack.infrastructure.EmbeddedS3;
import io.stagetune.common.storage.ObjectStoreSettings;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The pipeline's infrastructure on one machine without Docker: an in-process Kafka broker (KRaft) and an
 * S3-compatible store, both keeping their data under one folder ({@code kafka/} and {@code s3/}), so topics,
 * records, offsets, buckets and objects survive a restart.
 */
public final class LocalInfrastructure implements AutoCloseable {

    public static final Path DEFAULT_DATA_DIRECTORY = Path.of(".data");
    public static final int DEFAULT_KAFKA_PORT = 9092;
    public static final int DEFAULT_S3_PORT = 9000;

    /**
     * @param dataDirectory where both keep their data
     * @param kafkaPort     Kafka port on localhost, 0 for any free one
     * @param s3Port        S3 port on 127.0.0.1, 0 for any free one
     * @param s3AccessKey   S3 access key, null to generate one
     * @param s3SecretKey   S3 secret key, null to generate one (given together with the access key)
     */
    public record Settings(Path dataDirectory, int kafkaPort, int s3Port, String s3AccessKey, String s3SecretKey) {

        public Settings {
            Objects.requireNonNull(dataDirectory, "dataDirectory");
            if ((s3AccessKey == null) != (s3SecretKey == null)) {
                throw new IllegalArgumentException("give both the S3 access key and secret key, or neither");
            }
        }

        public static Settings defaults() {
            return new Settings(DEFAULT_DATA_DIRECTORY, DEFAULT_KAFKA_PORT, DEFAULT_S3_PORT, null, null);
        }

        public Settings withDataDirectory(Path dataDirectory) {
            return new Settings(dataDirectory, kafkaPort, s3Port, s3AccessKey, s3SecretKey);
        }

        public Settings withPorts(int kafkaPort, int s3Port) {
            return new Settings(dataDirectory, kafkaPort, s3Port, s3AccessKey, s3SecretKey);
        }

        public Settings withS3Credentials(String accessKey, String secretKey) {
            return new Settings(dataDirectory, kafkaPort, s3Port, accessKey, secretKey);
        }

        @Override
        public String toString() {
            return "Settings[dataDirectory=" + dataDirectory + ", kafkaPort=" + kafkaPort + ", s3Port=" + s3Port
                    + ", s3AccessKey=" + s3AccessKey + "]";
        }
    }

    private final Path dataDirectory;
    private final EmbeddedKafka kafka;
    private final EmbeddedS3 s3;

    private LocalInfrastructure(Path dataDirectory, EmbeddedKafka kafka, EmbeddedS3 s3) {
        this.dataDirectory = dataDirectory;
        this.kafka = kafka;
        this.s3 = s3;
    }

    public static LocalInfrastructure start(Settings settings) {
        Path data = settings.dataDirectory().toAbsolutePath().normalize();
        EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults()
                .withPort(settings.kafkaPort())
                .withDataDirectory(data.resolve("kafka")));
        try {
            EmbeddedS3.Options s3Options = EmbeddedS3.Options.defaults()
                    .withPort(settings.s3Port())
                    .withDataDirectory(data.resolve("s3"));
            if (settings.s3AccessKey() != null) {
                s3Options = s3Options.withCredentials(settings.s3AccessKey(), settings.s3SecretKey());
            }
            return new LocalInfrastructure(data, kafka, EmbeddedS3.start(s3Options));
        } catch (RuntimeException e) {
            try {
                kafka.close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    public EmbeddedS3 s3() {
        return s3;
    }

    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    public ObjectStoreSettings objectStoreSettings() {
        return s3.settings();
    }

    /** Stops the store, then the broker; both keep their data. */
    @Override
    public void close() {
        try {
            s3.close();
        } finally {
            kafka.close();
        }
    }
}
