package io.stagetune.localstack.cli;

import io.stagetune.localstack.cli.client.RunFollower;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Follows one run on the broker: each epoch, each checkpoint, each evaluation, until the run's last stage. */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "Shows a run's progress (epochs, checkpoints, evaluations) as it happens.")
final class WatchCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "Run id (see `pipeline runs`).")
    String runId;

    @Option(names = "--kafka", defaultValue = "localhost:9092",
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(names = "--timeout", defaultValue = "PT2H",
            description = "Give up after this long (ISO-8601, default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (new RunFollower(bootstrapServers).follow(runId, timeout, spec.commandLine().getOut()).isPresent()) {
            return 0;
        }
        spec.commandLine().getErr().println("run " + runId + " did not finish within " + timeout);
        return 1;
    }
}
