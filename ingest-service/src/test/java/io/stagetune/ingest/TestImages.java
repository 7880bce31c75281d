package io.stagetune.ingest;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** Real Fashion-MNIST PNGs from the committed sample (scripts/make-fashion-mnist-sample.py), and images made to order. */
public final class TestImages {

    public static final Path SAMPLE = locateSample();

    private TestImages() {
    }

    private static Path locateSample() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path sample = dir.resolve("fixtures/fashion-mnist-sample");
            if (Files.isDirectory(sample)) {
                return sample;
            }
        }
        throw new IllegalStateException("fixtures/fashion-mnist-sample not found above " + Path.of("").toAbsolutePath());
    }

    /** The first {@code count} sample PNGs of a class, sorted by name. */
    public static List<Path> pngs(String split, String label, int count) {
        try (Stream<Path> files = Files.list(SAMPLE.resolve(split).resolve(label))) {
            List<Path> pngs = files.filter(path -> path.toString().endsWith(".png")).sorted().limit(count).toList();
            if (pngs.size() < count) {
                throw new IllegalStateException("only " + pngs.size() + " sample images of " + split + "/" + label);
            }
            return pngs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A real sample image re-encoded as JPEG. */
    public static byte[] jpeg(Path png) {
        try {
            BufferedImage gray = ImageIO.read(png.toFile());
            BufferedImage rgb = new BufferedImage(gray.getWidth(), gray.getHeight(), BufferedImage.TYPE_INT_RGB);
            rgb.getGraphics().drawImage(gray, 0, 0, null);
            return encode(rgb, "jpg");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A black PNG of the given size: a few KB on disk, but width*height pixels once decoded. */
    public static byte[] blankPng(int width, int height) {
        return encode(new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY), "png");
    }
}
