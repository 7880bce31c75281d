package io.stagetune.localstack.infrastructure;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for servers that start a little later than the port is chosen (a service's JVM, a broker), chosen below the
 * kernel's ephemeral range ({@code /proc/sys/net/ipv4/ip_local_port_range}, 32768-60999 by default).
 *
 * <p>A port that {@code new ServerSocket(0)} finds free lies in that range, which is also where every outgoing
 * connection takes its local port: in the seconds before the server binds it, a Kafka client or a health check
 * can take it, and the server then exits with "address already in use". Below the range only another listener can
 * take a port, and this class never hands out the same one twice in one JVM.
 */
public final class FreePorts {

    /** The lowest port handed out: above the well-known and most registered service ports. */
    static final int LOWEST = 10_000;
    private static final int DEFAULT_EPHEMERAL_LOW = 32_768;
    private static final int ATTEMPTS = 200;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    /** A port that no socket on this machine holds now, outside the ephemeral range where there is room for it. */
    public static int pick() {
        int below = ephemeralLow(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
        if (below - LOWEST >= 1_000) {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                int port = LOWEST + ThreadLocalRandom.current().nextInt(below - LOWEST);
                if (!HANDED_OUT.contains(port) && bindable(port) && HANDED_OUT.add(port)) {
                    return port;
                }
            }
        }
        // The kernel may give the same free port again: ask until it is one this JVM has not handed out yet.
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try (ServerSocket socket = new ServerSocket(0)) {
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("no free port", e);
            }
        }
        throw new IllegalStateException("no free port that was not handed out already after " + ATTEMPTS + " tries");
    }

    /**
     * The first port of the ephemeral range that {@code rangeFile} gives ("low high"), or Linux's default. Read line
     * by line: the kernel reports a size of 0 for its files, and JDK 17's {@code Files.readString} then returned only
     * the first byte ("3"), so every port came from the ephemeral range.
     */
    static int ephemeralLow(Path rangeFile) {
        try (BufferedReader reader = Files.newBufferedReader(rangeFile)) {
            String[] bounds = reader.readLine().trim().split("\\s+");
            return Integer.parseInt(bounds[0]);
        } catch (IOException | RuntimeException absent) {
            return DEFAULT_EPHEMERAL_LOW;
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }
}
