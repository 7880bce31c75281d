package io.stagetune.common.storage;

/** {@code s3://bucket/key}: how events and documents refer to objects (checkpoints, backbones, manifests). */
public record ObjectUri(String bucket, String key) {

    private static final String SCHEME = "s3://";

    public ObjectUri {
        if (bucket == null || bucket.isBlank() || key == null) {
            throw new IllegalArgumentException("an object URI needs a bucket and a key");
        }
    }

    public static ObjectUri parse(String uri) {
        if (uri == null || !uri.startsWith(SCHEME) || uri.indexOf('/', SCHEME.length()) < 0) {
            throw new IllegalArgumentException("not an object URI (s3://bucket/key): " + uri);
        }
        int slash = uri.indexOf('/', SCHEME.length());
        return new ObjectUri(uri.substring(SCHEME.length(), slash), uri.substring(slash + 1));
    }

    /** The object {@code name} inside this URI taken as a folder. */
    public ObjectUri resolve(String name) {
        return new ObjectUri(bucket, key.isEmpty() || key.endsWith("/") ? key + name : key + "/" + name);
    }

    @Override
    public String toString() {
        return SCHEME + bucket + "/" + key;
    }
}
