package io.stagetune.localstack.infrastructure;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class FreePortsTest {

    @Test
    void portsAreDistinctBindableAndBelowTheEphemeralRange() throws IOException {
        int ephemeralLow = FreePorts.ephemeralLow(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            int port = FreePorts.pick();
            assertThat(ports.add(port)).as("port %d handed out twice", port).isTrue();
            if (ephemeralLow - FreePorts.LOWEST >= 1_000) {
                assertThat(port).isBetween(FreePorts.LOWEST, ephemeralLow - 1);
            }
            try (ServerSocket server = new ServerSocket(port)) {
                assertThat(server.getLocalPort()).isEqualTo(port);
            }
        }
    }

    @Test
    void theKernelsOwnRangeFileIsReadWhole() throws IOException {
        // The kernel reports a size of 0 for the file; a read that trusts the size gets only part of it.
        Path kernel = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        Assumptions.assumeTrue(Files.isReadable(kernel), "no " + kernel + " on this machine");
        String content;
        try (InputStream in = Files.newInputStream(kernel)) {
            content = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        assertThat(FreePorts.ephemeralLow(kernel)).isEqualTo(Integer.parseInt(content.trim().split("\\s+")[0]));
    }

    @Test
    void theRangeIsReadFromTheKernelsFileOrDefaultsToLinuxsOwn(@TempDir Path folder) throws IOException {
        Path range = Files.writeString(folder.resolve("ip_local_port_range"), "40000\t60999\n");
        assertThat(FreePorts.ephemeralLow(range)).isEqualTo(40000);
        assertThat(FreePorts.ephemeralLow(folder.resolve("absent"))).isEqualTo(32768);
        assertThat(FreePorts.ephemeralLow(Files.writeString(folder.resolve("garbled"), "x"))).isEqualTo(32768);
    }
}
