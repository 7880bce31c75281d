package io.stagetune.testsupport;

import io.stagetune.localstack.infrastructure.EmbeddedKafka;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * An {@link EmbeddedKafka} for a {@code @QuarkusTest}, with every topic of {@link io.stagetune.common.Topics}.
 * Points the application's Kafka clients at it ({@code kafka.bootstrap.servers}) and fills test fields annotated
 * {@link InjectKafka}, so a test can stop and restart the broker.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";

    private EmbeddedKafka kafka;

    @Override
    public Map<String, String> start() {
        kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults());
        return Map.of(BOOTSTRAP_SERVERS, kafka.bootstrapServers());
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(kafka,
                new TestInjector.AnnotatedAndMatchesType(InjectKafka.class, EmbeddedKafka.class));
    }

    @Override
    public void stop() {
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
    }
}
