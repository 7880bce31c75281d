package io.stagetune.common.runtime;

import io.stagetune.common.storage.ObjectStore;
import io.stagetune.common.storage.ObjectStoreSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Makes the one {@link ObjectStore} of a service injectable. */
@ApplicationScoped
public class ObjectStoreProducer {

    @Produces
    @ApplicationScoped
    ObjectStore objectStore(ObjectStoreConfig config) {
        return new ObjectStore(new ObjectStoreSettings(config.endpoint(), config.accessKey(), config.secretKey(),
                config.region()));
    }
}
