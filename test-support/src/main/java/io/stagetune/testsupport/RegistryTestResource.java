package io.stagetune.testsupport;

import io.stagetune.localstack.infrastructure.EmbeddedKafka;
import io.stagetune.localstack.infrastructure.EmbeddedS3;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A service's real neighbours for a {@code @QuarkusTest}: an embedded Kafka broker, an S3 store, and the model
 * registry as its own process ({@link RegistryProcess}, on H2 unless {@link #database()} says otherwise), which a
 * test can stop and start again through {@link #registry()}. A subclass per service says how that service is
 * pointed at the registry ({@link #registryConfig(String)}). Test fields annotated {@link InjectKafka} and
 * {@link InjectS3} are filled.
 */
public abstract class RegistryTestResource implements QuarkusTestResourceLifecycleManager {

    private static RegistryProcess registry;

    private EmbeddedKafka kafka;
    private EmbeddedS3 s3;

    /** The configuration that points the service under test at the registry's URL. */
    protected abstract Map<String, String> registryConfig(String registryUrl);

    protected RegistryProcess.Database database() {
        return RegistryProcess.Database.H2;
    }

    /** The registry of the running test (one test application at a time per JVM). */
    public static RegistryProcess registry() {
        return registry;
    }

    @Override
    public Map<String, String> start() {
        kafka = EmbeddedKafka.start();
        s3 = EmbeddedS3.start();
        // Tests run in the module's folder; the registry's builds are in the sibling module.
        registry = RegistryProcess.start(Path.of("..").toAbsolutePath().normalize(), database(),
                kafka.bootstrapServers());
        Map<String, String> config = new HashMap<>(registryConfig(registry.url()));
        config.put(KafkaTestResource.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        config.put(S3TestResource.ENDPOINT, s3.endpoint());
        config.put(S3TestResource.ACCESS_KEY, s3.accessKey());
        config.put(S3TestResource.SECRET_KEY, s3.secretKey());
        return config;
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(kafka, new TestInjector.AnnotatedAndMatchesType(InjectKafka.class,
                EmbeddedKafka.class));
        injector.injectIntoFields(s3, new TestInjector.AnnotatedAndMatchesType(InjectS3.class, EmbeddedS3.class));
    }

    @Override
    public void stop() {
        if (registry != null) {
            registry.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }
}
