package io.stagetune.localstack.infrastructure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A service run as its own JVM from its Quarkus build ({@code <module>/target/quarkus-app}),
 * logging to {@code <data>/logs/<name>.log}.
 */
public final class ServiceProcess implements AutoCloseable {

    /** How much of a service's log an error about its start quotes. */
    private static final int LAST_LINES = 25;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final int port;
    private final Process process;
    private final Path log;

    private ServiceProcess(String name, int port, Process process, Path log) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** Where a service's runnable build lies, relative to the repository root. */
    public static Path runner(Path repository, String module) {
        return repository.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    public static ServiceProcess start(String name, Path runner, int port, Map<String, String> environment,
                                       Map<String, String> systemProperties, Path logDirectory) {
        if (!Files.isRegularFile(runner)) {
            throw new IllegalStateException(name + " is not built: " + runner + " is missing (./mvnw package)");
        }
        try {
            Files.createDirectories(logDirectory);
            Path log = logDirectory.resolve(name + ".log");
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
            command.add("-jar");
            command.add(runner.toAbsolutePath().toString());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
            return new ServiceProcess(name, port, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    public String name() {
        return name;
    }

    public String url() {
        return "http://localhost:" + port;
    }

    public Path log() {
        return log;
    }

    /** Waits until {@code /q/health/ready} answers 200, or fails naming the log to read. */
    public void awaitReady(Duration timeout) throws InterruptedException {
        awaitHealth("/q/health/ready", timeout);
    }

    /**
     * Waits until {@code /q/health/live} answers 200: started, for a service that is ready only later (the
     * serving-service, once the registry has a version for it).
     */
    public void awaitLive(Duration timeout) throws InterruptedException {
        awaitHealth("/q/health/live", timeout);
    }

    private void awaitHealth(String path, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(url() + path))
                .timeout(Duration.ofSeconds(2)).build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log
                        + "; its last lines:\n" + lastLines(LAST_LINES));
            }
            try {
                if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(name + " not ready after " + timeout.toSeconds() + " s; see " + log
                + "; its last lines:\n" + lastLines(LAST_LINES));
    }

    /** The log's last {@code count} lines, indented, for an error message (empty when it cannot be read). */
    String lastLines(int count) {
        try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
            Deque<String> last = new ArrayDeque<>(count);
            lines.forEach(line -> {
                if (last.size() == count) {
                    last.removeFirst();
                }
                last.addLast("    " + line);
            });
            return String.join("\n", last);
        } catch (IOException | UncheckedIOException unreadable) {
            return "    (unreadable: " + unreadable.getMessage() + ")";
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The CPU time the process has used so far (zero where the platform does not tell). */
    public Duration cpuTime() {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** Kills the JVM at once (SIGKILL), as a crash or an out-of-memory kill would, and waits until it is gone. */
    public void kill() {
        try {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Asks the JVM to stop (Quarkus shuts down gracefully on SIGTERM), then insists. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
