package io.stagetune.localstack.infrastructure;

import io.stagetune.common.storage.ObjectStore;
import io.stagetune.common.storage.ObjectStoreException;
import io.stagetune.common.storage.ObjectStoreSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The embedded store through the project's one client, {@link ObjectStore}. */
class EmbeddedS3Test {

    private static EmbeddedS3 s3;
    private static ObjectStore store;

    @BeforeAll
    static void startStore() {
        s3 = EmbeddedS3.start();
        store = new ObjectStore(s3.settings());
    }

    @AfterAll
    static void stopStore() {
        s3.close();
    }

    @Test
    void servesS3OnLoopbackWithGeneratedCredentials() {
        assertThat(s3.endpoint()).matches("http://127\\.0\\.0\\.1:\\d+");
        assertThat(s3.accessKey()).isNotBlank();
        assertThat(s3.secretKey()).hasSizeGreaterThanOrEqualTo(32);
        assertThat(s3.settings()).isEqualTo(
                new ObjectStoreSettings(s3.endpoint(), s3.accessKey(), s3.secretKey(), "us-east-1"));
    }

    @Test
    void putsGetsAndFindsObjects() {
        String bucket = newBucket();
        store.put(bucket, "shop/images/a.png", bytes("a"), "image/png");

        assertThat(store.get(bucket, "shop/images/a.png")).isEqualTo(bytes("a"));
        assertThat(store.find(bucket, "shop/images/a.png")).hasValue(bytes("a"));
        assertThat(store.find(bucket, "shop/images/absent.png")).isEmpty();
        assertThat(store.exists(bucket, "shop/images/a.png")).isTrue();
        assertThat(store.exists(bucket, "shop/images/absent.png")).isFalse();
        assertThatThrownBy(() -> store.get(bucket, "shop/images/absent.png"))
                .isInstanceOf(ObjectStoreException.class)
                .hasMessageContaining("s3://" + bucket + "/shop/images/absent.png");
    }

    @Test
    void ensureBucketIsIdempotent() {
        String bucket = newBucket();
        store.ensureBucket(bucket);
        store.put(bucket, "kept", bytes("kept"), "text/plain");
        store.ensureBucket(bucket);

        assertThat(store.get(bucket, "kept")).isEqualTo(bytes("kept"));
    }

    @Test
    void putIfAbsentStoresOnlyOnce() {
        String bucket = newBucket();

        assertThat(store.putIfAbsent(bucket, "shop/images/x.png", bytes("first"), "image/png")).isTrue();
        assertThat(store.putIfAbsent(bucket, "shop/images/x.png", bytes("second"), "image/png")).isFalse();
        assertThat(store.get(bucket, "shop/images/x.png")).isEqualTo(bytes("first"));
    }

    @Test
    void listsKeysUnderPrefixRecursively() {
        String bucket = newBucket();
        store.put(bucket, "shop/images/a.png", bytes("a"), "image/png");
        store.put(bucket, "shop/manifests/v1.jsonl", bytes("{}"), "application/x-ndjson");
        store.put(bucket, "shop/manifests/nested/v2.jsonl", bytes("{}"), "application/x-ndjson");
        store.put(bucket, "other/images/b.png", bytes("b"), "image/png");

        assertThat(store.list(bucket, "shop/manifests/"))
                .containsExactly("shop/manifests/nested/v2.jsonl", "shop/manifests/v1.jsonl");
        assertThat(store.list(bucket, "shop/")).hasSize(3);
        assertThat(store.list(bucket, "nothing/")).isEmpty();
    }

    @Test
    void deletesObjects() {
        String bucket = newBucket();
        store.put(bucket, "gone", bytes("x"), "text/plain");

        store.delete(bucket, "gone");

        assertThat(store.exists(bucket, "gone")).isFalse();
        assertThat(store.list(bucket, "")).isEmpty();
    }

    @Test
    void downloadsObjectToFile(@TempDir Path directory) throws Exception {
        String bucket = newBucket();
        Path source = Files.write(directory.resolve("source.bin"), bytes("checkpoint weights"));
        store.put(bucket, "fashion/run-1/head/head.params", source, "application/octet-stream");
        Path target = directory.resolve("download/head.params");

        store.download(bucket, "fashion/run-1/head/head.params", target);

        assertThat(target).hasBinaryContent(bytes("checkpoint weights"));
        try (var leftovers = Files.list(target.getParent())) {
            assertThat(leftovers).containsExactly(target);
        }
    }

    @Test
    void rejectsRequestsSignedWithAnotherSecret() {
        ObjectStore intruder = new ObjectStore(
                new ObjectStoreSettings(s3.endpoint(), s3.accessKey(), "not-the-secret", null));

        assertThatThrownBy(() -> intruder.ensureBucket("intruders")).isInstanceOf(ObjectStoreException.class);
    }

    @Test
    void keepsAGivenDataDirectoryAcrossRestarts(@TempDir Path data) {
        EmbeddedS3.Options options = EmbeddedS3.Options.defaults().withDataDirectory(data);
        try (EmbeddedS3 first = EmbeddedS3.start(options)) {
            ObjectStore firstStore = new ObjectStore(first.settings());
            firstStore.ensureBucket("datasets");
            firstStore.put("datasets", "shop/manifests/v1.jsonl", bytes("line"), "application/x-ndjson");
        }
        try (EmbeddedS3 second = EmbeddedS3.start(options)) {
            assertThat(new ObjectStore(second.settings()).get("datasets", "shop/manifests/v1.jsonl"))
                    .isEqualTo(bytes("line"));
        }
    }

    private static String newBucket() {
        String bucket = "bucket-" + UUID.randomUUID().toString().substring(0, 8);
        store.ensureBucket(bucket);
        return bucket;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
