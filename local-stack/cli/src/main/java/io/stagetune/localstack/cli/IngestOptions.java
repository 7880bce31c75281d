package io.stagetune.localstack.cli;

import io.stagetune.localstack.cli.client.IngestClient;
import picocli.CommandLine.Option;

/** Where the ingest-service answers, shared by the commands of the review queue. */
final class IngestOptions {

    @Option(names = "--url", defaultValue = "${env:INGEST_URL:-http://localhost:8081}",
            description = "ingest-service URL (default: $INGEST_URL, else http://localhost:8081).")
    String url;

    /** @param token bearer token with role reviewer; null to read only */
    IngestClient client(String token) {
        return new IngestClient(url, token);
    }
}
