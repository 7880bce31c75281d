package io.stagetune.localstack;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Properties;

/**
 * The local stack's credentials: generated on first start and kept in {@code <data>/secrets.properties}
 * (readable by the owner only), so a restart reuses them and the CLI finds them. Nothing of it is committed.
 */
public record StackSecrets(String s3AccessKey, String s3SecretKey, String ingestToken, String adminToken,
                           String evaluatorToken, String trainerToken) {

    static final String FILE = "secrets.properties";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Whether a stack has kept its credentials in this data folder. */
    public static boolean existIn(Path dataDirectory) {
        return Files.isRegularFile(dataDirectory.resolve(FILE));
    }

    public static StackSecrets loadOrCreate(Path dataDirectory) {
        Path file = dataDirectory.resolve(FILE);
        try {
            Properties properties = new Properties();
            if (Files.exists(file)) {
                try (Reader reader = Files.newBufferedReader(file)) {
                    properties.load(reader);
                }
            }
            StackSecrets secrets = new StackSecrets(
                    get(properties, "s3.access-key", 10), get(properties, "s3.secret-key", 20),
                    get(properties, "token.ingest", 24), get(properties, "token.admin", 24),
                    get(properties, "token.evaluator", 24), get(properties, "token.trainer", 24));
            Files.createDirectories(dataDirectory);
            try (Writer writer = Files.newBufferedWriter(file)) {
                properties.store(writer, "stagetune local stack credentials (generated; do not commit)");
            }
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            return secrets;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
    }

    private static String get(Properties properties, String key, int bytes) {
        String value = properties.getProperty(key);
        if (value == null || value.isBlank()) {
            byte[] random = new byte[bytes];
            RANDOM.nextBytes(random);
            value = HexFormat.of().formatHex(random);
            properties.setProperty(key, value);
        }
        return value;
    }
}
