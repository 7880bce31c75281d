package io.stagetune.localstack.cli;

import io.stagetune.common.registry.MoveResult;
import io.stagetune.localstack.cli.client.RegistryClient;
import picocli.CommandLine.Command;

import java.util.Map;

@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = "Points an alias (production by default) back at the version it had before its last move; "
                + "recorded as a move, so a second rollback undoes the first.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:rolled back", "1:refused by the registry (unknown model, nothing to roll back to, bad or "
                + "missing token) or registry unreachable", "2:invalid options"})
final class RollbackCommand extends AliasChangeCommand {

    @Override
    MoveResult change(RegistryClient client) {
        return client.post(RegistryClient.path("models", model, "aliases", alias, "rollback"),
                Map.of("reason", reason), MoveResult.class);
    }
}
