package io.stagetune.common.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class NativeAllocatorTest {

    @TempDir
    Path lib;

    @Test
    void autoTakesTcmallocWhereItIsInstalledAndTheSystemsOtherwise(@TempDir Path empty) throws IOException {
        Files.createFile(lib.resolve("libjemalloc.so.2"));
        assertThat(NativeAllocator.resolve("auto", List.of(empty, lib))).isEqualTo(NativeAllocator.SYSTEM);

        Path tcmalloc = Files.createFile(lib.resolve("libtcmalloc_minimal.so.4"));
        assertThat(NativeAllocator.resolve("auto", List.of(empty, lib)))
                .isEqualTo(new NativeAllocator("tcmalloc", tcmalloc));
        assertThat(NativeAllocator.resolve("", List.of(lib)).name()).isEqualTo("tcmalloc");
        assertThat(NativeAllocator.resolve(null, List.of(lib)).name()).isEqualTo("tcmalloc");
    }

    @Test
    void namedAllocatorsAndPaths() throws IOException {
        Path jemalloc = Files.createFile(lib.resolve("libjemalloc.so.2"));
        Files.createFile(lib.resolve("libtcmalloc_minimal.so.4"));

        assertThat(NativeAllocator.resolve("system", List.of(lib))).isEqualTo(NativeAllocator.SYSTEM);
        assertThat(NativeAllocator.resolve("JEMALLOC", List.of(lib))).isEqualTo(new NativeAllocator("jemalloc", jemalloc));
        assertThat(NativeAllocator.resolve(jemalloc.toString(), List.of()).library()).isEqualTo(jemalloc);
    }

    @Test
    void aMissingAllocatorIsRefusedNamingTheSettingAndWhereItLooked() {
        assertThatThrownBy(() -> NativeAllocator.resolve("tcmalloc", List.of(lib)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("STAGETUNE_MALLOC=tcmalloc")
                .hasMessageContaining("libtcmalloc_minimal.so.4")
                .hasMessageContaining(lib.toString());
        assertThatThrownBy(() -> NativeAllocator.resolve("/no/such/libmalloc.so", List.of(lib)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("STAGETUNE_MALLOC=/no/such/libmalloc.so")
                .hasMessageContaining("existing library file");
    }

    @Test
    void aChildIsToldToPreloadItUnlessItsEnvironmentAlreadyChose() throws IOException {
        Path tcmalloc = Files.createFile(lib.resolve("libtcmalloc_minimal.so.4"));
        NativeAllocator allocator = NativeAllocator.resolve("auto", List.of(lib));

        assertThat(allocator.environment(Map.of("PATH", "/bin"))).isEqualTo(Map.of("LD_PRELOAD", tcmalloc.toString()));
        assertThat(allocator.environment(Map.of("LD_PRELOAD", "/opt/other.so"))).isEmpty();
        assertThat(NativeAllocator.SYSTEM.environment(Map.of())).isEmpty();
    }

    @Test
    void readsWhichAllocatorAProcessHasLoaded() throws IOException {
        Path maps = lib.resolve("maps");
        Files.writeString(maps, """
                7f01-7f02 r-xp 00000000 08:01 1 /usr/lib/x86_64-linux-gnu/libc.so.6
                7f03-7f04 r-xp 00000000 08:01 2 /usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4.5.10
                """);
        assertThat(NativeAllocator.inProcessMaps(maps)).isEqualTo("tcmalloc");
        Files.writeString(maps, "7f01-7f02 r-xp 00000000 08:01 1 /usr/lib/x86_64-linux-gnu/libc.so.6\n");
        assertThat(NativeAllocator.inProcessMaps(maps)).isEqualTo("system");
        assertThat(NativeAllocator.inProcessMaps(lib.resolve("absent"))).isEqualTo("unknown");
    }

    /** Through a real process: the preload the local stack sets really loads the library. */
    @Test
    void aRealChildProcessLoadsThePreloadedAllocator() throws Exception {
        NativeAllocator installed = NativeAllocator.resolve("auto", NativeAllocator.systemLibraryDirectories());
        assumeTrue(installed.library() != null, "tcmalloc is not installed (Debian: libtcmalloc-minimal4)");
        Path maps = lib.resolve("child-maps");
        ProcessBuilder child = new ProcessBuilder("cat", "/proc/self/maps").redirectOutput(maps.toFile());
        child.environment().remove("LD_PRELOAD");
        child.environment().putAll(installed.environment(child.environment()));
        assertThat(child.start().waitFor()).isZero();

        assertThat(NativeAllocator.inProcessMaps(maps)).isEqualTo("tcmalloc");
    }
}
