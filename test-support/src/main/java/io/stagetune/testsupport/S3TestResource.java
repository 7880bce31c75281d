package io.stagetune.testsupport;

import io.stagetune.localstack.infrastructure.EmbeddedS3;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * An {@link EmbeddedS3} for a {@code @QuarkusTest}, with fresh random credentials. Points
 * {@code pipeline.object-store.*} at it and fills test fields annotated {@link InjectS3}. It creates no buckets:
 * services create their own at startup.
 */
public class S3TestResource implements QuarkusTestResourceLifecycleManager {

    public static final String ENDPOINT = "pipeline.object-store.endpoint";
    public static final String ACCESS_KEY = "pipeline.object-store.access-key";
    public static final String SECRET_KEY = "pipeline.object-store.secret-key";

    private EmbeddedS3 store;

    @Override
    public Map<String, String> start() {
        store = EmbeddedS3.start(EmbeddedS3.Options.defaults());
        return Map.of(ENDPOINT, store.endpoint(), ACCESS_KEY, store.accessKey(), SECRET_KEY, store.secretKey());
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(store, new TestInjector.AnnotatedAndMatchesType(InjectS3.class, EmbeddedS3.class));
    }

    @Override
    public void stop() {
        if (store != null) {
            store.close();
            store = null;
        }
    }
}
