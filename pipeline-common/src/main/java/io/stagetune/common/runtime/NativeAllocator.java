package io.stagetune.common.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The C memory allocator of a JVM that runs libtorch. On the CPU, libtorch allocates and frees every activation and
 * gradient buffer of every step; the system's allocator (glibc) hands the large ones back to the kernel at once,
 * so each step faults all of them in again, zeroed. tcmalloc keeps them: the trainer's FULL stage measured about
 * twice the images/s with it (PyTorch's CPU tuning guide recommends the same). It is chosen per process at start
 * ({@code LD_PRELOAD}), so the local stack picks it for the services that run libtorch, and images preload it.
 *
 * @param name    {@code system}, {@code tcmalloc} or {@code jemalloc} (or the file name of another library)
 * @param library the shared library to preload; null for the system's allocator
 */
public record NativeAllocator(String name, Path library) {

    /** The environment variable (and the setting of {@link #resolve}) that chooses the allocator. */
    public static final String SETTING = "STAGETUNE_MALLOC";

    public static final NativeAllocator SYSTEM = new NativeAllocator("system", null);

    private static final Map<String, List<String>> LIBRARIES = Map.of(
            "tcmalloc", List.of("libtcmalloc_minimal.so.4", "libtcmalloc.so.4"),
            "jemalloc", List.of("libjemalloc.so.2"));

    /**
     * The allocator that {@code setting} asks for: {@code auto} (or empty: tcmalloc where one of
     * {@code libraryDirectories} has it, else the system's), {@code system}, {@code tcmalloc}, {@code jemalloc}
     * (which must be found), or the path of a shared library.
     *
     * @throws IllegalArgumentException naming the setting and what is missing
     */
    public static NativeAllocator resolve(String setting, List<Path> libraryDirectories) {
        String value = setting == null ? "" : setting.trim();
        String key = value.toLowerCase(Locale.ROOT);
        if (key.isEmpty() || key.equals("auto")) {
            return find("tcmalloc", libraryDirectories).orElse(SYSTEM);
        }
        if (key.equals("system")) {
            return SYSTEM;
        }
        if (LIBRARIES.containsKey(key)) {
            return find(key, libraryDirectories).orElseThrow(() -> new IllegalArgumentException(SETTING + "=" + value
                    + ": none of " + LIBRARIES.get(key) + " in " + libraryDirectories
                    + " (install it, e.g. Debian's libtcmalloc-minimal4 or libjemalloc2, or give the library's path)"));
        }
        Path library = Path.of(value);
        if (!Files.isRegularFile(library)) {
            throw new IllegalArgumentException(SETTING + "=" + value + ": not auto, system, tcmalloc, jemalloc, "
                    + "nor an existing library file");
        }
        return new NativeAllocator(library.getFileName().toString(), library.toAbsolutePath());
    }

    /** {@link #resolve} with the {@code STAGETUNE_MALLOC} environment variable and this machine's library folders. */
    public static NativeAllocator fromEnvironment() {
        return resolve(System.getenv(SETTING), systemLibraryDirectories());
    }

    /** Where Linux distributions put shared libraries, for this JVM's architecture; none elsewhere. */
    public static List<Path> systemLibraryDirectories() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return List.of();
        }
        String arch = System.getProperty("os.arch", "");
        String multiarch = switch (arch) {
            case "amd64", "x86_64" -> "x86_64-linux-gnu";
            case "aarch64", "arm64" -> "aarch64-linux-gnu";
            default -> arch + "-linux-gnu";
        };
        return List.of(Path.of("/usr/lib", multiarch), Path.of("/usr/lib64"), Path.of("/usr/lib"),
                Path.of("/usr/local/lib"));
    }

    private static Optional<NativeAllocator> find(String name, List<Path> directories) {
        for (Path directory : directories) {
            for (String file : LIBRARIES.get(name)) {
                Path library = directory.resolve(file);
                if (Files.isRegularFile(library)) {
                    return Optional.of(new NativeAllocator(name, library));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * What a child process's environment needs for this allocator, given the environment it inherits: nothing for
     * the system's, and nothing where {@code LD_PRELOAD} is set already (whoever set it chose).
     */
    public Map<String, String> environment(Map<String, String> inherited) {
        if (library == null || inherited.containsKey("LD_PRELOAD")) {
            return Map.of();
        }
        return Map.of("LD_PRELOAD", library.toString());
    }

    /**
     * The allocator loaded into this process ({@code /proc/self/maps}): tcmalloc, jemalloc or system; "unknown"
     * where the maps cannot be read (not Linux).
     */
    public static String inThisProcess() {
        return inProcessMaps(Path.of("/proc/self/maps"));
    }

    static String inProcessMaps(Path maps) {
        // The mapped file is the link's target (libtcmalloc_minimal.so.4.5.10), hence the prefix.
        try (Stream<String> lines = Files.lines(maps)) {
            return lines.flatMap(line -> LIBRARIES.keySet().stream().filter(name -> line.contains("/lib" + name)))
                    .findFirst().orElse("system");
        } catch (IOException | UncheckedIOException | SecurityException e) {
            return "unknown";
        }
    }

    @Override
    public String toString() {
        return library == null ? name : name + " (" + library + ")";
    }
}
