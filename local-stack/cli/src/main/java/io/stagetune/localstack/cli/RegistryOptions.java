package io.stagetune.localstack.cli;

import io.stagetune.localstack.cli.client.RegistryClient;
import picocli.CommandLine.Option;

/** Where the model registry answers, shared by the commands that talk to it. */
final class RegistryOptions {

    @Option(names = "--url", defaultValue = "${env:REGISTRY_URL:-http://localhost:8084}",
            description = "Model registry URL (default: $REGISTRY_URL, else http://localhost:8084).")
    String url;

    /** @param token bearer token for changes; null to read only */
    RegistryClient client(String token) {
        return new RegistryClient(url, token);
    }
}
