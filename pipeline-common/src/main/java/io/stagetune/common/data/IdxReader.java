package io.stagetune.common.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files of unsigned bytes (the format of MNIST and Fashion-MNIST), gzipped or plain, whole into
 * memory. Every format error is an {@link IOException} whose message names the file.
 */
public final class IdxReader {

    private static final int UNSIGNED_BYTE = 0x08;
    private static final int GZIP_MAGIC = 0x8b1f;

    /** Images stored row-major one after the other: pixel (row, column) of image i is at i*rows*columns + row*columns + column. */
    public record Images(int count, int rows, int columns, byte[] pixels) {
    }

    private IdxReader() {
    }

    /** Reads an idx3 file (magic 0x00000803): images of rows x columns unsigned bytes. */
    public static Images readImages(Path file) throws IOException {
        int[] shape = new int[3];
        byte[] pixels = read(file, shape);
        return new Images(shape[0], shape[1], shape[2], pixels);
    }

    /** Reads an idx1 file (magic 0x00000801): one unsigned byte per example. */
    public static byte[] readLabels(Path file) throws IOException {
        return read(file, new int[1]);
    }

    /** Reads the header into {@code shape} (its length is the expected number of dimensions) and returns the data. */
    private static byte[] read(Path file, int[] shape) throws IOException {
        try (DataInputStream in = new DataInputStream(open(file))) {
            int magic = readHeaderInt(in, file);
            int expectedMagic = (UNSIGNED_BYTE << 8) | shape.length;
            if (magic != expectedMagic) {
                throw new IOException(String.format("%s: not an IDX file of unsigned bytes with %d dimension(s):"
                        + " magic number 0x%08x, expected 0x%08x", file, shape.length, magic, expectedMagic));
            }
            long size = 1;
            for (int d = 0; d < shape.length; d++) {
                shape[d] = readHeaderInt(in, file);
                if (shape[d] <= 0) {
                    throw new IOException(file + ": dimension " + d + " has size " + Integer.toUnsignedString(shape[d])
                            + ", expected a positive size below 2^31");
                }
                size *= shape[d];
            }
            if (size > Integer.MAX_VALUE - 8) {
                throw new IOException(file + ": " + size + " data bytes do not fit in one array");
            }
            byte[] data = new byte[(int) size];
            try {
                in.readFully(data);
            } catch (EOFException e) {
                throw new IOException(file + ": truncated, the header announces " + size + " data bytes", e);
            }
            if (in.read() != -1) {
                throw new IOException(file + ": longer than the " + size + " data bytes its header announces");
            }
            return data;
        }
    }

    private static int readHeaderInt(DataInputStream in, Path file) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new IOException(file + ": truncated IDX header", e);
        }
    }

    /** Opens the file, unzipping it when it starts with the gzip magic number, whatever its name. */
    private static InputStream open(Path file) throws IOException {
        BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        int first = in.read();
        int second = in.read();
        in.reset();
        if ((first | (second << 8)) == GZIP_MAGIC) {
            return new GZIPInputStream(in, 1 << 16);
        }
        return in;
    }
}
