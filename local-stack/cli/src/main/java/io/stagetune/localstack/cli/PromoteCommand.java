package io.stagetune.localstack.cli;

import io.stagetune.common.registry.MoveAliasRequest;
import io.stagetune.common.registry.MoveResult;
import io.stagetune.localstack.cli.client.RegistryClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "promote", mixinStandardHelpOptions = true,
        description = "Points an alias (production by default) at a version, with the registry admin token.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:moved, or already there", "1:refused by the registry (unknown model or version, bad or "
                + "missing token) or registry unreachable", "2:invalid options"})
final class PromoteCommand extends AliasChangeCommand {

    @Parameters(index = "1", paramLabel = "VERSION", description = "Version to point the alias at.")
    long version;

    @Override
    MoveResult change(RegistryClient client) {
        return client.put(RegistryClient.path("models", model, "aliases", alias),
                new MoveAliasRequest(version, reason, null), MoveResult.class);
    }
}
