package io.stagetune.common.image;

import io.stagetune.common.storage.AtomicFiles;
import io.stagetune.common.storage.CacheBudget;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Decoded images kept in files by content, so that an image is decoded once however many stages, runs and
 * evaluations read it: {@code <folder>/presize-<n>/<image sha256>.rgb}, its width and height (two big-endian ints),
 * then 8-bit RGB, 3 bytes per pixel. Images are first shrunk ({@link Images#shrink}) so that their shorter side is at
 * most {@code presize}; smaller ones are kept as they are, bit for bit.
 * <p>
 * Files are written whole or not at all ({@link AtomicFiles}), every hit marks its file as used for the
 * {@link CacheBudget} that bounds the folder, and a file of the wrong length is treated as missing and decoded
 * again. Safe for concurrent use: two threads decoding the same image write the same bytes.
 */
public final class DecodedImageFiles {

    private static final Pattern KEY = Pattern.compile("[0-9a-f]{16,128}");
    private static final int HEADER = 2 * Integer.BYTES;

    private final Path folder;
    private final int presize;

    /** The decoded images of {@code root} at {@code presize}: the folder {@code root/presize-<presize>}. */
    public DecodedImageFiles(Path root, int presize) {
        if (presize < 1) {
            throw new IllegalArgumentException("presize must be positive: " + presize);
        }
        this.folder = root.resolve("presize-" + presize);
        this.presize = presize;
    }

    public int presize() {
        return presize;
    }

    /** The file of the image with content key {@code key} (sha256, lower-case hex). */
    public Path file(String key) {
        return folder.resolve(checked(key) + ".rgb");
    }

    /** The keys among {@code keys} without a complete decoded file: only their originals are needed. */
    public Set<String> missing(Collection<String> keys) {
        return keys.parallelStream().filter(key -> size(key) == null).collect(Collectors.toUnmodifiableSet());
    }

    /** Width and height of the complete decoded file of {@code key} (then marked as used), or null when there is none. */
    public int[] size(String key) {
        Path file = file(key);
        if (!CacheBudget.touch(file)) {
            return null;
        }
        try {
            long length = Files.size(file);
            if (length < HEADER) {
                return null;
            }
            try (InputStream in = Files.newInputStream(file)) {
                return dimensions(in.readNBytes(HEADER), length);
            }
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read decoded image " + file, e);
        }
    }

    /**
     * Decodes {@code original}, the image of {@code key}, shrinks it to the presize and writes its file; returns the
     * image as written. An undecodable original is named in the {@link IllegalArgumentException}.
     */
    public BufferedImage decode(String key, Path original) {
        Path target = file(key);
        BufferedImage image;
        try {
            image = Images.shrink(Images.decode(Files.readAllBytes(original)), presize);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read cached image " + original, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cached image " + original.getFileName() + ": " + e.getMessage(), e);
        }
        int[] rgb = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        ByteBuffer bytes = ByteBuffer.allocate(HEADER + rgb.length * 3);
        bytes.putInt(image.getWidth()).putInt(image.getHeight());
        for (int pixel : rgb) {
            bytes.put((byte) (pixel >> 16)).put((byte) (pixel >> 8)).put((byte) pixel);
        }
        try {
            AtomicFiles.write(target, bytes.array());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write decoded image " + target, e);
        }
        return image;
    }

    /**
     * The decoded image of {@code key}, which {@link #size} or {@link #decode} found to be {@code width} x
     * {@code height}; an error when its file no longer has that size (replaced or evicted while in use).
     */
    public BufferedImage read(String key, int width, int height) {
        Path file = file(key);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read decoded image " + file, e);
        }
        if (bytes.length != HEADER + 3L * width * height) {
            throw new IllegalStateException("decoded image " + file + " changed while in use");
        }
        return image(bytes, width, height);
    }

    /**
     * The decoded image of {@code key} read in one go (then marked as used), or null when it has no complete file:
     * for a caller that does not know its size yet.
     */
    public BufferedImage readIfPresent(String key) {
        Path file = file(key);
        if (!CacheBudget.touch(file)) {
            return null;
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read decoded image " + file, e);
        }
        int[] size = dimensions(bytes, bytes.length);
        return size == null ? null : image(bytes, size[0], size[1]);
    }

    /** Width and height from a file's first bytes, or null when the file's {@code length} does not match them. */
    private static int[] dimensions(byte[] header, long length) {
        if (header.length < HEADER) {
            return null;
        }
        ByteBuffer buffer = ByteBuffer.wrap(header);
        int width = buffer.getInt(0);
        int height = buffer.getInt(Integer.BYTES);
        return width > 0 && height > 0 && length == HEADER + 3L * width * height ? new int[] {width, height} : null;
    }

    private static BufferedImage image(byte[] bytes, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] rgb = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        for (int i = 0, b = HEADER; i < rgb.length; i++, b += 3) {
            rgb[i] = (bytes[b] & 0xFF) << 16 | (bytes[b + 1] & 0xFF) << 8 | (bytes[b + 2] & 0xFF);
        }
        return image;
    }

    private static String checked(String key) {
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("not a content key (lower-case hex): " + key);
        }
        return key;
    }
}
