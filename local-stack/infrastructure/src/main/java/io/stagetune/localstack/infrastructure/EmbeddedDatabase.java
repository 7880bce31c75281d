package io.stagetune.localstack.infrastructure;

import org.h2.tools.Server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;

/**
 * An H2 database server on 127.0.0.1 (TCP, local connections only), keeping its databases under one folder: what
 * several processes of a service share on one machine, as they would share PostgreSQL in production. A database
 * is created by its first connection, with that connection's user and password.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private final Server server;
    private final Path directory;

    private EmbeddedDatabase(Server server, Path directory) {
        this.server = server;
        this.directory = directory;
    }

    /** @param port a port on 127.0.0.1, 0 for any free one */
    public static EmbeddedDatabase start(Path directory, int port) {
        try {
            Path folder = Files.createDirectories(directory).toAbsolutePath().normalize();
            Server server = Server.createTcpServer("-tcpPort", Integer.toString(port == 0 ? FreePorts.pick() : port),
                    "-baseDir", folder.toString(), "-ifNotExists").start();
            return new EmbeddedDatabase(server, folder);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot start the database server on port " + port + ": "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory, e);
        }
    }

    public int port() {
        return server.getPort();
    }

    public Path directory() {
        return directory;
    }

    /** The JDBC URL of a database on this server; waits up to 10 s for a row another connection has locked. */
    public String jdbcUrl(String database) {
        return "jdbc:h2:tcp://127.0.0.1:" + port() + "/" + database + ";LOCK_TIMEOUT=10000";
    }

    @Override
    public void close() {
        server.stop();
    }
}
