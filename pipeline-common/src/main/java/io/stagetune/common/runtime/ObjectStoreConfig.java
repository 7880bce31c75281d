package io.stagetune.common.runtime;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code pipeline.object-store.*}: the S3-compatible store every service talks to. Credentials come from the
 * environment ({@code PIPELINE_OBJECT_STORE_ACCESS_KEY}, {@code PIPELINE_OBJECT_STORE_SECRET_KEY}) or a secret.
 */
@ConfigMapping(prefix = "pipeline.object-store")
public interface ObjectStoreConfig {

    /** Endpoint URL, e.g. {@code http://minio:9000}. */
    String endpoint();

    String accessKey();

    String secretKey();

    @WithDefault("us-east-1")
    String region();

    /** Bucket of dataset images and manifests. */
    @WithDefault("datasets")
    String datasetsBucket();

    /** Bucket of training checkpoints. */
    @WithDefault("checkpoints")
    String checkpointsBucket();
}
