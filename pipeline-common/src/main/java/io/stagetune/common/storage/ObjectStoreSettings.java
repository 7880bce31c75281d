package io.stagetune.common.storage;

import java.util.Objects;

/** Where the S3-compatible store is and how to sign requests to it. */
public record ObjectStoreSettings(String endpoint, String accessKey, String secretKey, String region) {
    public ObjectStoreSettings {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(accessKey, "accessKey");
        Objects.requireNonNull(secretKey, "secretKey");
        region = region == null || region.isBlank() ? "us-east-1" : region;
    }

    @Override
    public String toString() {
        return "ObjectStoreSettings[endpoint=" + endpoint + ", accessKey=" + accessKey + ", region=" + region + "]";
    }
}
