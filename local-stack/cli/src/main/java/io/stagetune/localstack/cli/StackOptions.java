package io.stagetune.localstack.cli;

import io.stagetune.localstack.StackSecrets;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Where the local stack keeps its data (and credentials), shared by the commands. */
final class StackOptions {

    @Option(names = "--data-dir", defaultValue = ".data",
            description = "Folder of the local stack's data and credentials (default: ${DEFAULT-VALUE}).")
    Path dataDirectory;

    StackSecrets secrets() {
        return StackSecrets.loadOrCreate(dataDirectory);
    }
}
