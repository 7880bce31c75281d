package io.stagetune.localstack.cli;

import io.stagetune.localstack.LocalStack;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Starts Kafka, the S3 store and the four services, prints their URLs, runs until Ctrl-C.")
final class UpCommand implements Callable<Integer> {

    @Mixin
    StackOptions stack;

    @Option(names = "--repository", defaultValue = ".",
            description = "Repository root with the services' builds (default: ${DEFAULT-VALUE}).")
    Path repository;

    @Option(names = "--trainer-property", paramLabel = "KEY=VALUE",
            description = "Trainer configuration, e.g. trainer.models.fashion.dataset=fashion (repeatable).")
    Map<String, String> trainerProperties = new LinkedHashMap<>();

    @Option(names = "--backbone", paramLabel = "FILE",
            description = "A TorchScript backbone to upload as s3://checkpoints/_backbones/<file name> (repeatable).")
    List<Path> backbones = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        LocalStack.Settings defaults = LocalStack.Settings.defaults(repository.toAbsolutePath().normalize());
        LocalStack.Settings settings = defaults.withDataDirectory(stack.dataDirectory)
                .withProperties(LocalStack.Service.TRAINER, trainerProperties);
        LocalStack running = LocalStack.start(settings, line -> {
            out.println(line);
            out.flush();
        });
        for (Path backbone : backbones) {
            out.println("backbone " + running.uploadBackbone(backbone));
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                running.close();
            } finally {
                stopped.countDown();
            }
        }, "local-stack-shutdown"));
        out.println();
        out.println("The pipeline is up. Ctrl-C stops it; data and credentials stay in "
                + stack.dataDirectory.toAbsolutePath().normalize());
        for (LocalStack.Service service : LocalStack.Service.values()) {
            out.printf("  %-18s %s  (OpenAPI %s/q/swagger-ui)%n", service.module(), running.url(service),
                    running.url(service));
        }
        out.println("  Kafka              " + running.infrastructure().kafkaBootstrapServers());
        out.println("  S3                 " + running.infrastructure().objectStoreSettings().endpoint());
        out.println("Upload with: pipeline ingest <folder|archive> --dataset <id>");
        out.flush();
        stopped.await();
        return 0;
    }
}
