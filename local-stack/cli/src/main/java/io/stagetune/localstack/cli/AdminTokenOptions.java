package io.stagetune.localstack.cli;

import io.stagetune.localstack.StackSecrets;
import io.stagetune.localstack.cli.client.RegistryClient;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The registry admin token: given, from the environment, or the one the local stack generated. */
final class AdminTokenOptions {

    @Option(names = "--token", defaultValue = "${env:REGISTRY_ADMIN_TOKEN}",
            description = "Registry admin token (default: $REGISTRY_ADMIN_TOKEN, else token.admin of the local "
                    + "stack's secrets.properties under --data-dir).")
    String token;

    @Mixin
    StackOptions stack;

    String token() {
        if (token != null && !token.isBlank()) {
            return token;
        }
        if (!StackSecrets.existIn(stack.dataDirectory)) {
            throw new RegistryClient.RegistryError(0, "no admin token: " + stack.dataDirectory.toAbsolutePath()
                    .normalize() + " holds no secrets.properties of a local stack; pass --token, set "
                    + "REGISTRY_ADMIN_TOKEN, or point --data-dir at the folder `pipeline up` uses");
        }
        return stack.secrets().adminToken();
    }
}
