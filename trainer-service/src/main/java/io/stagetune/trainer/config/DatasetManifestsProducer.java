package io.stagetune.trainer.config;

import io.stagetune.common.dataset.DatasetManifests;
import io.stagetune.common.runtime.ObjectStoreConfig;
import io.stagetune.common.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

@ApplicationScoped
public class DatasetManifestsProducer {

    @Produces
    @ApplicationScoped
    DatasetManifests manifests(ObjectStore store, ObjectStoreConfig config) {
        return new DatasetManifests(store, config.datasetsBucket());
    }
}
