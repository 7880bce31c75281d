package io.stagetune.common.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdxReaderTest {

    @TempDir
    Path dir;

    /** An IDX file of unsigned bytes with the given dimensions and data, gzipped when asked. */
    static void writeIdx(Path file, boolean gzip, int[] dimensions, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x0800 | dimensions.length);
        for (int dimension : dimensions) {
            out.writeInt(dimension);
        }
        out.write(data);
        try (OutputStream stream = gzip ? new GZIPOutputStream(Files.newOutputStream(file))
                : Files.newOutputStream(file)) {
            stream.write(bytes.toByteArray());
        }
    }

    private static byte[] sequence(int length) {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) (i * 7 + 200);
        }
        return data;
    }

    @Test
    void readsPlainImages() throws IOException {
        Path file = dir.resolve("images-idx3-ubyte");
        writeIdx(file, false, new int[] {2, 3, 4}, sequence(24));

        IdxReader.Images images = IdxReader.readImages(file);

        assertThat(images.count()).isEqualTo(2);
        assertThat(images.rows()).isEqualTo(3);
        assertThat(images.columns()).isEqualTo(4);
        assertThat(images.pixels()).isEqualTo(sequence(24));
    }

    @Test
    void readsGzippedFilesWhateverTheirName() throws IOException {
        Path file = dir.resolve("labels-without-gz-suffix");
        writeIdx(file, true, new int[] {5}, new byte[] {9, 0, 3, 3, 1});

        assertThat(IdxReader.readLabels(file)).containsExactly(9, 0, 3, 3, 1);
    }

    @Test
    void rejectsAWrongMagicNumberNamingTheFile() throws IOException {
        Path file = dir.resolve("labels.gz");
        writeIdx(file, true, new int[] {5}, new byte[5]);

        assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("magic number 0x00000801, expected 0x00000803");
    }

    @Test
    void rejectsTruncatedDataNamingTheFile() throws IOException {
        Path file = dir.resolve("images");
        writeIdx(file, false, new int[] {2, 3, 4}, sequence(20));

        assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("truncated, the header announces 24 data bytes");
    }

    @Test
    void rejectsATruncatedHeader() throws IOException {
        Path file = dir.resolve("images");
        Files.write(file, new byte[] {0, 0, 8, 3, 0, 0});

        assertThatThrownBy(() -> IdxReader.readImages(file))
                .hasMessageContaining(file.toString()).hasMessageContaining("truncated IDX header");
    }

    @Test
    void rejectsTrailingBytes() throws IOException {
        Path file = dir.resolve("labels");
        writeIdx(file, false, new int[] {3}, new byte[4]);

        assertThatThrownBy(() -> IdxReader.readLabels(file))
                .hasMessageContaining(file.toString()).hasMessageContaining("longer than the 3 data bytes");
    }

    @Test
    void rejectsImpossibleSizes() throws IOException {
        Path file = dir.resolve("images");
        writeIdx(file, false, new int[] {0x7fffffff, 0x7fffffff, 2}, new byte[0]);

        assertThatThrownBy(() -> IdxReader.readImages(file))
                .hasMessageContaining(file.toString()).hasMessageContaining("do not fit in one array");
    }
}
