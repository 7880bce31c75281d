package io.stagetune.localstack.cli;

import io.stagetune.localstack.StackSecrets;
import io.stagetune.localstack.cli.client.IngestClient;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The ingest reviewer token: given, from the environment, or the one the local stack generated. */
final class ReviewerTokenOptions {

    @Option(names = "--token", defaultValue = "${env:INGEST_REVIEWER_TOKEN}",
            description = "Ingest reviewer token (default: $INGEST_REVIEWER_TOKEN, else token.reviewer of the local "
                    + "stack's secrets.properties under --data-dir).")
    String token;

    @Mixin
    StackOptions stack;

    String token() {
        if (token != null && !token.isBlank()) {
            return token;
        }
        String generated = StackSecrets.existIn(stack.dataDirectory) ? stack.secrets().reviewerToken() : null;
        if (generated == null) {
            throw new IngestClient.IngestError(0, "no reviewer token: " + stack.dataDirectory.toAbsolutePath()
                    .normalize() + " holds no token.reviewer of a local stack; pass --token, set "
                    + "INGEST_REVIEWER_TOKEN, or point --data-dir at the folder `pipeline up` uses");
        }
        return generated;
    }
}
