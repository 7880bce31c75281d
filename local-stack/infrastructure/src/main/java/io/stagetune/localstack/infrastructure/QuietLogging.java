package io.stagetune.localstack.infrastructure;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns the chatty INFO logs of embedded servers down to WARN, whatever backend the host uses: JBoss LogManager
 * (Quarkus tests) and plain java.util.logging through JUL levels, slf4j-simple through its system properties.
 */
final class QuietLogging {

    /** JUL holds loggers weakly; a collected logger would forget its level. */
    private static final Set<Logger> CONFIGURED = ConcurrentHashMap.newKeySet();

    private QuietLogging() {
    }

    static void warnOnly(String... categories) {
        for (String category : categories) {
            // slf4j-simple reads these when a logger is first created, so only unset ones are filled in.
            System.getProperties().putIfAbsent("org.slf4j.simpleLogger.log." + category, "warn");
            Logger logger = Logger.getLogger(category);
            logger.setLevel(Level.WARNING);
            CONFIGURED.add(logger);
        }
    }
}
