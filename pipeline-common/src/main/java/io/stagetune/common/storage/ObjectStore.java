package io.stagetune.common.storage;

import io.minio.BucketExistsArgs;
import io.minio.CopyObjectArgs;
import io.minio.CopySource;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.UploadObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.http.HttpUtils;
import io.minio.messages.Item;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The one client of the S3-compatible store (MinIO, S3Proxy, AWS S3), over the MinIO Java client. Every
 * failure is an {@link ObjectStoreException} that names the bucket and key.
 */
public class ObjectStore {

    private static final String NO_SUCH_KEY = "NoSuchKey";

    private final MinioClient client;

    public ObjectStore(ObjectStoreSettings settings) {
        MinioClient.Builder builder = MinioClient.builder()
                .endpoint(settings.endpoint())
                .credentials(settings.accessKey(), settings.secretKey())
                .region(settings.region());
        if (settings.endpoint().regionMatches(true, 0, "http://", 0, 7)) {
            builder.httpClient(plainHttpClient(), true);
        }
        this.client = builder.build();
    }

    /**
     * The MinIO client's default HTTP client, without TLS. The client derives a new HTTP client from its own for
     * every put, and with TLS configured each derivation compares the trust roots of the JVM's whole certificate
     * store: a measurable share of an upload's CPU time for an endpoint that never uses them.
     */
    private static OkHttpClient plainHttpClient() {
        long timeout = TimeUnit.MINUTES.toMillis(5);
        return HttpUtils.newDefaultHttpClient(timeout, timeout, timeout).newBuilder()
                .connectionSpecs(List.of(ConnectionSpec.CLEARTEXT))
                .build();
    }

    public void ensureBucket(String bucket) {
        try {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
            }
        } catch (ErrorResponseException e) {
            String code = e.errorResponse().code();
            if (!"BucketAlreadyOwnedByYou".equals(code) && !"BucketAlreadyExists".equals(code)) {
                throw failure("create bucket", bucket, "", e);
            }
        } catch (Exception e) {
            throw failure("create bucket", bucket, "", e);
        }
    }

    public void put(String bucket, String key, byte[] bytes, String contentType) {
        try (InputStream in = new ByteArrayInputStream(bytes)) {
            client.putObject(PutObjectArgs.builder().bucket(bucket).object(key)
                    .stream(in, bytes.length, -1).contentType(contentType).build());
        } catch (Exception e) {
            throw failure("put", bucket, key, e);
        }
    }

    public void put(String bucket, String key, Path file, String contentType) {
        try {
            client.uploadObject(UploadObjectArgs.builder().bucket(bucket).object(key)
                    .filename(file.toString()).contentType(contentType).build());
        } catch (Exception e) {
            throw failure("put", bucket, key, e);
        }
    }

    /**
     * Stores the bytes unless the key exists. Meant for content-addressed keys, where an existing object
     * already holds the same bytes.
     *
     * @return true when this call stored the object
     */
    public boolean putIfAbsent(String bucket, String key, byte[] bytes, String contentType) {
        if (exists(bucket, key)) {
            return false;
        }
        put(bucket, key, bytes, contentType);
        return true;
    }

    /** Copies an object within the bucket on the store's side (the bytes do not travel through this process). */
    public void copy(String bucket, String sourceKey, String targetKey) {
        try {
            client.copyObject(CopyObjectArgs.builder().bucket(bucket).object(targetKey)
                    .source(CopySource.builder().bucket(bucket).object(sourceKey).build()).build());
        } catch (Exception e) {
            throw failure("copy s3://" + bucket + "/" + sourceKey + " to", bucket, targetKey, e);
        }
    }

    public byte[] get(String bucket, String key) {
        return find(bucket, key).orElseThrow(() ->
                new ObjectStoreException("no object s3://" + bucket + "/" + key, null));
    }

    public Optional<byte[]> find(String bucket, String key) {
        try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            return Optional.of(in.readAllBytes());
        } catch (ErrorResponseException e) {
            if (NO_SUCH_KEY.equals(e.errorResponse().code())) {
                return Optional.empty();
            }
            throw failure("get", bucket, key, e);
        } catch (Exception e) {
            throw failure("get", bucket, key, e);
        }
    }

    /** Downloads an object to a file, atomically (a partial download never appears under {@code target}). */
    public void download(String bucket, String key, Path target) {
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Path partial = Files.createTempFile(target.toAbsolutePath().getParent(), ".download-", ".part");
            try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
            }
        } catch (IOException e) {
            throw failure("download", bucket, key, e);
        } catch (Exception e) {
            throw failure("download", bucket, key, e);
        }
    }

    public boolean exists(String bucket, String key) {
        try {
            client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build());
            return true;
        } catch (ErrorResponseException e) {
            String code = e.errorResponse().code();
            if (NO_SUCH_KEY.equals(code) || "NoSuchObject".equals(code) || "NotFound".equals(code)) {
                return false;
            }
            throw failure("stat", bucket, key, e);
        } catch (Exception e) {
            throw failure("stat", bucket, key, e);
        }
    }

    /**
     * Every key under the prefix, recursively, in the store's (lexicographic) order. Keys ending in {@code /} are
     * left out: they are folder markers, which filesystem-backed stores such as S3Proxy list for every directory,
     * and the layout ({@link ObjectKeys}) never names an object so.
     */
    public List<String> list(String bucket, String prefix) {
        List<String> keys = new ArrayList<>();
        try {
            for (Result<Item> result : client.listObjects(
                    ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build())) {
                String key = result.get().objectName();
                if (!key.endsWith("/")) {
                    keys.add(key);
                }
            }
        } catch (Exception e) {
            throw failure("list", bucket, prefix, e);
        }
        return keys;
    }

    /**
     * The names of the "folders" directly under the prefix (without the prefix and trailing slash), e.g. the
     * dataset ids of the datasets bucket.
     */
    public List<String> listFolders(String bucket, String prefix) {
        List<String> folders = new ArrayList<>();
        try {
            for (Result<Item> result : client.listObjects(
                    ListObjectsArgs.builder().bucket(bucket).prefix(prefix).delimiter("/").build())) {
                Item item = result.get();
                if (item.isDir()) {
                    String name = item.objectName().substring(prefix.length());
                    folders.add(name.endsWith("/") ? name.substring(0, name.length() - 1) : name);
                }
            }
        } catch (Exception e) {
            throw failure("list", bucket, prefix, e);
        }
        return folders;
    }

    public void delete(String bucket, String key) {
        try {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
        } catch (Exception e) {
            throw failure("delete", bucket, key, e);
        }
    }

    private static ObjectStoreException failure(String operation, String bucket, String key, Exception cause) {
        return new ObjectStoreException(operation + " s3://" + bucket + "/" + key + " failed: " + cause.getMessage(),
                cause);
    }
}
