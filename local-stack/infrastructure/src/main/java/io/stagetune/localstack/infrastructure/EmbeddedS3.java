package io.stagetune.localstack.infrastructure;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import io.stagetune.common.storage.ObjectStoreSettings;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.filesystem.reference.FilesystemConstants;
import org.jclouds.logging.slf4j.config.SLF4JLoggingModule;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

/**
 * An S3-compatible store in this JVM: S3Proxy serving the jclouds {@code filesystem} provider over HTTP on
 * 127.0.0.1, with AWS v2/v4 request signing. Buckets are directories and objects files under the data directory.
 */
public final class EmbeddedS3 implements AutoCloseable {

    private static final String HOST = "127.0.0.1";
    private static final String REGION = "us-east-1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    /**
     * How to start the store.
     *
     * @param port          HTTP port on 127.0.0.1; 0 picks a free one
     * @param dataDirectory where buckets and objects live; null means a temporary directory deleted on close.
     *                      A given directory is kept on close, and its buckets are served again next time.
     * @param accessKey     access key clients sign with
     * @param secretKey     secret key clients sign with
     */
    public record Options(int port, Path dataDirectory, String accessKey, String secretKey) {

        public Options {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            Objects.requireNonNull(accessKey, "accessKey");
            Objects.requireNonNull(secretKey, "secretKey");
        }

        /** Any free port, a temporary directory, freshly generated credentials. */
        public static Options defaults() {
            return new Options(0, null, "embedded-" + randomHex(8), randomHex(20));
        }

        public Options withPort(int port) {
            return new Options(port, dataDirectory, accessKey, secretKey);
        }

        public Options withDataDirectory(Path dataDirectory) {
            return new Options(port, dataDirectory, accessKey, secretKey);
        }

        public Options withCredentials(String accessKey, String secretKey) {
            return new Options(port, dataDirectory, accessKey, secretKey);
        }

        @Override
        public String toString() {
            return "Options[port=" + port + ", dataDirectory=" + dataDirectory + ", accessKey=" + accessKey + "]";
        }
    }

    private final S3Proxy proxy;
    private final BlobStoreContext context;
    private final Path dataDirectory;
    private final boolean temporary;
    private final String endpoint;
    private final String accessKey;
    private final String secretKey;

    private EmbeddedS3(S3Proxy proxy, BlobStoreContext context, Path dataDirectory, boolean temporary,
                       Options options) {
        this.proxy = proxy;
        this.context = context;
        this.dataDirectory = dataDirectory;
        this.temporary = temporary;
        this.endpoint = "http://" + HOST + ":" + proxy.getPort();
        this.accessKey = options.accessKey();
        this.secretKey = options.secretKey();
    }

    public static EmbeddedS3 start() {
        return start(Options.defaults());
    }

    public static EmbeddedS3 start(Options options) {
        Objects.requireNonNull(options, "options");
        QuietLogging.warnOnly("org.gaul", "org.eclipse.jetty", "org.jclouds", "jclouds");
        boolean temporary = options.dataDirectory() == null;
        BlobStoreContext context = null;
        Path directory = null;
        try {
            directory = temporary
                    ? Files.createTempDirectory("embedded-s3-")
                    : Files.createDirectories(options.dataDirectory().toAbsolutePath());
            Properties overrides = new Properties();
            overrides.setProperty(FilesystemConstants.PROPERTY_BASEDIR, directory.toString());
            context = ContextBuilder.newBuilder("filesystem")
                    .credentials(options.accessKey(), options.secretKey())
                    .overrides(overrides)
                    .modules(List.of(new SLF4JLoggingModule()))
                    .buildView(BlobStoreContext.class);
            S3Proxy proxy = S3Proxy.builder()
                    .blobStore(context.getBlobStore())
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, options.accessKey(), options.secretKey())
                    .endpoint(URI.create("http://" + HOST + ":" + options.port()))
                    .build();
            proxy.start();
            awaitStarted(proxy);
            return new EmbeddedS3(proxy, context, directory, temporary, options);
        } catch (Exception e) {
            if (context != null) {
                context.close();
            }
            if (temporary && directory != null) {
                deleteRecursively(directory);
            }
            throw new IllegalStateException("embedded S3 store did not start: " + e.getMessage() + guiceHint(e), e);
        }
    }

    /** {@code http://127.0.0.1:<port>} */
    public String endpoint() {
        return endpoint;
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    public String region() {
        return REGION;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** What an {@link io.stagetune.common.storage.ObjectStore} needs to talk to this store. */
    public ObjectStoreSettings settings() {
        return new ObjectStoreSettings(endpoint, accessKey, secretKey, REGION);
    }

    /** Stops serving; a temporary data directory is deleted, a given one is kept. */
    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("embedded S3 store did not stop: " + e.getMessage(), e);
        } finally {
            context.close();
            if (temporary) {
                deleteRecursively(dataDirectory);
            }
        }
    }

    /** jclouds needs Guice 7; an older Guice first on the classpath fails with a wall of binding errors. */
    private static String guiceHint(Exception failure) {
        if (!(failure instanceof CreationException)) {
            return "";
        }
        return " (jclouds needs Guice 7 with jakarta.inject; Guice was loaded from "
                + Guice.class.getProtectionDomain().getCodeSource().getLocation()
                + ": exclude com.google.inject:guice from the dependency that brings an older one)";
    }

    private static void awaitStarted(S3Proxy proxy) throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy is " + proxy.getState() + " after " + START_TIMEOUT);
            }
            Thread.sleep(10);
        }
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    private static void deleteRecursively(Path directory) {
        try {
            Files.walkFileTree(directory, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // A leftover temporary directory is harmless; the store itself is stopped.
        }
    }
}
