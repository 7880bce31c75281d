package io.stagetune.localstack;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

/**
 * The local stack's credentials, kept in {@code <data>/secrets.properties} (readable by the owner only), so a restart
 * reuses them and the CLI finds them. Nothing of it is committed. Only a starting stack creates or completes the file
 * ({@link #loadOrCreate}), and it writes a whole new file that replaces the old one in one step; every other caller
 * only reads ({@link #load}), so any number of concurrent CLI calls see the stack's credentials.
 */
public record StackSecrets(String s3AccessKey, String s3SecretKey, String ingestToken, String adminToken,
                           String evaluatorToken, String trainerToken, String ingestDatabasePassword,
                           String reviewerToken) {

    static final String FILE = "secrets.properties";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Each key with the number of random bytes a generated value has. */
    private static final List<Key> KEYS = List.of(new Key("s3.access-key", 10), new Key("s3.secret-key", 20),
            new Key("token.ingest", 24), new Key("token.admin", 24), new Key("token.evaluator", 24),
            new Key("token.trainer", 24), new Key("database.ingest.password", 24), new Key("token.reviewer", 24));

    private record Key(String name, int bytes) {
    }

    /** Whether a stack has kept its credentials in this data folder. */
    public static boolean existIn(Path dataDirectory) {
        return Files.isRegularFile(dataDirectory.resolve(FILE));
    }

    /** The credentials a stack keeps in this data folder (null for a key it does not hold); never writes. */
    public static StackSecrets load(Path dataDirectory) {
        Path file = dataDirectory.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no stack credentials in " + file + ": start the stack there first "
                    + "(pipeline up --data-dir " + dataDirectory + ")");
        }
        return of(read(file));
    }

    /**
     * The stack's credentials, generating those the folder does not hold yet. A new file appears whole or not at all
     * (written aside, then linked into place, so that of two starts one file wins); a file that lacks keys from an
     * older release is completed by replacing it whole.
     */
    public static StackSecrets loadOrCreate(Path dataDirectory) {
        Path file = dataDirectory.resolve(FILE);
        try {
            Files.createDirectories(dataDirectory);
            boolean exists = Files.isRegularFile(file);
            Properties properties = exists ? read(file) : new Properties();
            boolean complete = true;
            for (Key key : KEYS) {
                if (properties.getProperty(key.name(), "").isBlank()) {
                    byte[] random = new byte[key.bytes()];
                    RANDOM.nextBytes(random);
                    properties.setProperty(key.name(), HexFormat.of().formatHex(random));
                    complete = false;
                }
            }
            if (complete) {
                return of(properties);
            }
            Path written = Files.createTempFile(dataDirectory, FILE, ".new");
            try {
                try {
                    Files.setPosixFilePermissions(written, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException ignored) {
                    // not a POSIX file system
                }
                try (Writer writer = Files.newBufferedWriter(written)) {
                    properties.store(writer, "stagetune local stack credentials (generated; do not commit)");
                }
                if (exists) {
                    Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } else {
                    try {
                        Files.createLink(file, written);
                    } catch (FileAlreadyExistsException createdMeanwhile) {
                        return load(dataDirectory);
                    }
                }
            } finally {
                Files.deleteIfExists(written);
            }
            return of(properties);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
    }

    private static Properties read(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
            return properties;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static StackSecrets of(Properties properties) {
        return new StackSecrets(properties.getProperty("s3.access-key"), properties.getProperty("s3.secret-key"),
                properties.getProperty("token.ingest"), properties.getProperty("token.admin"),
                properties.getProperty("token.evaluator"), properties.getProperty("token.trainer"),
                properties.getProperty("database.ingest.password"), properties.getProperty("token.reviewer"));
    }
}
