package io.stagetune.localstack.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code pipeline}: the local stack and a client of its services. */
@Command(name = "pipeline", mixinStandardHelpOptions = true, version = "stagetune 0.1.0",
        description = "Runs the incremental fine-tuning pipeline on this machine and talks to it.",
        subcommands = {DemoCommand.class, UpCommand.class, IngestCommand.class, RunsCommand.class, WatchCommand.class,
                ReportCommand.class, PromoteCommand.class, RollbackCommand.class, PredictCommand.class,
                ReviewCommand.class, LabelCommand.class,
                CommandLine.HelpCommand.class})
public final class PipelineCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new PipelineCommand()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
