package io.stagetune.localstack.deploy;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The repository's deployment files and the command-line tools that check them. A missing tool skips its check
 * with a visible message (CI installs them through .ci/run); a tool that runs and fails fails the test.
 */
final class DeployTools {

    private DeployTools() {
    }

    /** The repository root: the first parent of the working directory holding {@code deploy/}. */
    static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("deploy")) && Files.exists(dir.resolve("docker-compose.yml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no repository root with deploy/ above " + Path.of("").toAbsolutePath());
    }

    /** Skips the calling test, with a message on the build's output, when {@code tool} is not on the PATH. */
    static void assumeInstalled(String tool) {
        boolean found = onPath(tool);
        if (!found) {
            System.out.println("SKIPPED: " + tool + " is not installed; install it (see .ci/run) to run this check");
        }
        Assumptions.assumeTrue(found, tool + " is not installed");
    }

    static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    record Result(int exitCode, String output) {
    }

    /** Runs a command in the repository root and returns its exit code and combined output. */
    static Result run(List<String> command) {
        try {
            Path log = Files.createTempFile("deploy-check", ".log");
            try {
                Process process = new ProcessBuilder(new ArrayList<>(command)).directory(root().toFile())
                        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
                if (!process.waitFor(2, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("timed out: " + String.join(" ", command));
                }
                return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs a command that must succeed; its output is the failure message otherwise. */
    static String succeed(String... command) {
        Result result = run(List.of(command));
        if (result.exitCode() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited with " + result.exitCode() + ":\n"
                    + result.output());
        }
        return result.output();
    }
}
