package io.stagetune.localstack;

import io.stagetune.localstack.infrastructure.FreePorts;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the tests that run services find the repository's builds, and free ports for them. */
public final class TestMachine {

    private TestMachine() {
    }

    /** The repository root (where {@code mvnw} and the service modules are), from the test's working folder. */
    public static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("model-registry"))) {
                return dir;
            }
        }
        throw new IllegalStateException("repository root not found above " + Path.of("").toAbsolutePath());
    }

    public static int freePort() {
        return FreePorts.pick();
    }
}
