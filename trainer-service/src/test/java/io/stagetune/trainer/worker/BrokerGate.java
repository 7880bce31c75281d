package io.stagetune.trainer.worker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A door to the broker for workers that must join their consumer group at a moment the test chooses, not when their
 * JVM happens to be up: while closed it refuses connections, so a worker started behind it runs but reaches no broker;
 * once open it forwards them. Clients only bootstrap through it (the broker's metadata then names its own address).
 */
final class BrokerGate implements AutoCloseable {

    private final ServerSocket server;
    private final String host;
    private final int port;
    private volatile boolean open;

    BrokerGate(String bootstrapServers) {
        String first = bootstrapServers.split(",")[0];
        this.host = first.substring(0, first.lastIndexOf(':'));
        this.port = Integer.parseInt(first.substring(first.lastIndexOf(':') + 1));
        try {
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::accept, "broker-gate");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String address() {
        return "localhost:" + server.getLocalPort();
    }

    void open() {
        open = true;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (!open) {
                    client.close();
                    continue;
                }
                Socket broker = new Socket(host, port);
                pump(client.getInputStream(), broker.getOutputStream(), broker);
                pump(broker.getInputStream(), client.getOutputStream(), client);
            } catch (IOException closed) {
                // the gate is closed, or one connection failed: the client retries
            }
        }
    }

    private static void pump(InputStream from, OutputStream to, Socket target) {
        Thread thread = new Thread(() -> {
            try (target) {
                from.transferTo(to);
            } catch (IOException ended) {
                // one side hung up
            }
        }, "broker-gate-pump");
        thread.setDaemon(true);
        thread.start();
    }
}
