package io.stagetune.localstack.cli;

import io.stagetune.common.registry.MoveResult;
import io.stagetune.localstack.cli.client.RegistryClient.RegistryError;
import io.stagetune.localstack.cli.client.RegistryClient;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** What {@code promote} and {@code rollback} share: the model, the alias, the reason, the admin call, the output. */
abstract class AliasChangeCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "Model name.")
    String model;

    @Option(names = "--alias", defaultValue = "production", description = "Alias to move (default: ${DEFAULT-VALUE}).")
    String alias;

    @Option(names = "--reason", required = true, paramLabel = "TEXT",
            description = "Why; kept in the alias's history and sent with the event.")
    String reason;

    @Mixin
    RegistryOptions registry;

    @Mixin
    AdminTokenOptions admin;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Asks the registry for the change. */
    abstract MoveResult change(RegistryClient client);

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            MoveResult result = change(registry.client(admin.token()));
            out.println(describe(result));
            out.flush();
            return 0;
        } catch (RegistryError e) {
            spec.commandLine().getErr().println(e.getMessage());
            return 1;
        }
    }

    /** {@code fashion production: version 3 -> 2 (by admin: rollback: coat regressed)}, or why nothing moved. */
    static String describe(MoveResult result) {
        String name = result.model() + " " + result.alias();
        if (!result.moved()) {
            return name + " already points at version " + result.version() + ": nothing changed";
        }
        return name + ": " + (result.fromVersion() == null ? "(not set)" : "version " + result.fromVersion())
                + " -> version " + result.version() + " (by " + result.actor() + ": " + result.reason() + ")";
    }
}
