package io.stagetune.ingest.service;

import io.stagetune.ingest.Archives;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArchiveReaderTest {

    @TempDir
    Path dir;

    private final ArchiveReader reader = new ArchiveReader(100, 5, 1000);

    @Test
    void readsZipAndTarGzSkippingDirectoriesAndOsMetadata() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("coat/a.png", new byte[]{1, 2});
        entries.put("train/bag/b.png", new byte[]{3});
        entries.put("__MACOSX/coat/._a.png", new byte[]{9});
        entries.put("coat/.DS_Store", new byte[]{9});
        for (Path archive : List.of(zip("a.zip", entries), tarGz("a.tar.gz", entries))) {
            List<String> seen = new ArrayList<>();
            reader.read(archive, archive.getFileName().toString(), (path, bytes, size) -> seen.add(path + ":" + size));
            assertThat(seen).containsExactly("coat/a.png:2", "train/bag/b.png:1");
        }
    }

    @Test
    void refusesPathTraversalAndAbsolutePathsBeforeReadingAnything() throws IOException {
        for (String evil : List.of("../evil.png", "coat/../../evil.png", "/etc/evil.png", "C:/evil.png")) {
            Map<String, byte[]> entries = new LinkedHashMap<>();
            entries.put("coat/ok.png", new byte[]{1});
            entries.put(evil, new byte[]{1});
            for (Path archive : List.of(zip("t.zip", entries), tarGz("t.tar.gz", entries))) {
                List<String> seen = new ArrayList<>();
                assertThatThrownBy(() -> reader.read(archive, "t", (path, bytes, size) -> seen.add(path)))
                        .isInstanceOf(IngestException.class)
                        .hasMessageContaining(evil)
                        .satisfies(e -> assertThat(((IngestException) e).status()).isEqualTo(400));
                assertThat(seen).as("nothing handed out before the check").isEmpty();
            }
        }
    }

    @Test
    void limitsEntriesAndExpansion() throws IOException {
        Map<String, byte[]> many = new LinkedHashMap<>();
        for (int i = 0; i < 6; i++) {
            many.put("coat/" + i + ".png", new byte[]{1});
        }
        assertThatThrownBy(() -> reader.read(zip("many.zip", many), "many.zip", (p, b, s) -> { }))
                .hasMessageContaining("more than 5 entries")
                .satisfies(e -> assertThat(((IngestException) e).status()).isEqualTo(413));

        Map<String, byte[]> bomb = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            bomb.put("coat/" + i + ".png", new byte[300]);
        }
        for (Path archive : List.of(zip("bomb.zip", bomb), tarGz("bomb.tar.gz", bomb))) {
            assertThatThrownBy(() -> reader.read(archive, "bomb", (p, b, s) -> { }))
                    .hasMessageContaining("expands to more than 1000 bytes");
        }
    }

    @Test
    void oversizedEntriesAreHandedOutWithoutTheirBytes() throws IOException {
        List<String> seen = new ArrayList<>();
        reader.read(zip("big.zip", Map.of("coat/big.png", new byte[150])), "big.zip",
                (path, bytes, size) -> seen.add(path + ":" + (bytes == null ? "null" : bytes.length) + ":" + size));
        assertThat(seen).containsExactly("coat/big.png:null:101");
    }

    @Test
    void refusesWhatIsNotAnArchive() throws IOException {
        Path text = Files.writeString(dir.resolve("x.zip"), "hello");
        assertThatThrownBy(() -> reader.read(text, "x.zip", (p, b, s) -> { }))
                .hasMessageContaining("neither a zip nor a tar.gz")
                .satisfies(e -> assertThat(((IngestException) e).status()).isEqualTo(415));
    }

    private static Path zip(String name, Map<String, byte[]> entries) throws IOException {
        return Archives.zip(entries);
    }

    private static Path tarGz(String name, Map<String, byte[]> entries) throws IOException {
        return Archives.tarGz(entries);
    }
}
