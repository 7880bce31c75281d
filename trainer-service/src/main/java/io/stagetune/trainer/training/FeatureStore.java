package io.stagetune.trainer.training;

import io.stagetune.common.storage.AtomicFiles;
import io.stagetune.common.storage.CacheBudget;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Frozen-backbone features that outlive a stage, on local disk: the HEAD stage of the next run from the same base
 * backbone computes features only for images it has not seen, which is most of the work when a dataset grows by a
 * batch at a time. A feature is the file {@code <root>/<backbone sha256>/<eval transform digest>/<key>.f32}: the
 * embedding's floats, little-endian. The backbone is identified by its file's bytes and the image by its content
 * key (sha256), so a changed backbone, transform or image never meets a stale feature. Files are written under a
 * temporary name and moved into place, so a reader never sees half a file; a file of the wrong length counts as
 * missing. A feature read is marked as used now; the worker's {@link CacheBudget} evicts
 * the features used longest ago when the cache passes its budget.
 */
public final class FeatureStore {

    private static final Pattern KEY = Pattern.compile("[0-9a-f]{16,128}");

    private final Path root;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();

    public FeatureStore(Path root) {
        this.root = root;
    }

    /** The features of the backbone in {@code backboneFile} under the eval transform {@code evalTransformId}. */
    Namespace namespace(Path backboneFile, String evalTransformId) throws IOException {
        return new Namespace(root.resolve(sha256(backboneFile)).resolve(
                digest(evalTransformId.getBytes(StandardCharsets.UTF_8)).substring(0, 16)));
    }

    /** Features found so far. */
    public long hits() {
        return hits.get();
    }

    /** Features looked for and not found (then computed). */
    public long misses() {
        return misses.get();
    }

    /** One backbone's features under one eval transform. */
    final class Namespace {

        private final Path directory;

        private Namespace(Path directory) {
            this.directory = directory;
        }

        /** The stored feature of image {@code key}, or null when there is none of {@code length} floats. */
        float[] get(String key, int length) {
            Path file = file(key);
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                misses.incrementAndGet();
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read feature " + file, e);
            }
            if (bytes.length != length * Float.BYTES) {
                misses.incrementAndGet();
                return null;
            }
            float[] values = new float[length];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            hits.incrementAndGet();
            CacheBudget.touch(file);
            return values;
        }

        /** Stores image {@code key}'s feature (whole or not at all). */
        void put(String key, float[] values, int offset, int length) {
            ByteBuffer bytes = ByteBuffer.allocate(length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(values, offset, length);
            Path file = file(key);
            try {
                AtomicFiles.write(file, bytes.array());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write feature " + file, e);
            }
        }

        private Path file(String key) {
            if (!KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("not a content key (lower-case hex): " + key);
            }
            return directory.resolve(key + ".f32");
        }
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest digest = newDigest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int read; (read = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String digest(byte[] bytes) {
        return HexFormat.of().formatHex(newDigest().digest(bytes));
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
