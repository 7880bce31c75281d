package io.stagetune.localstack.cli;

import io.stagetune.localstack.infrastructure.LocalInfrastructure;
import io.stagetune.localstack.LocalStack;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Starts Kafka, the S3 store, the database server and the services, prints their URLs, runs "
                + "until Ctrl-C.")
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

    @Option(names = "--kafka-port", defaultValue = "" + LocalInfrastructure.DEFAULT_KAFKA_PORT,
            description = "Kafka port on localhost (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--s3-port", defaultValue = "" + LocalInfrastructure.DEFAULT_S3_PORT,
            description = "S3 port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int s3Port;

    @Option(names = "--database-port", defaultValue = "" + LocalInfrastructure.DEFAULT_DATABASE_PORT,
            description = "Port of the database server the ingest replicas share, on 127.0.0.1 (default: "
                    + "${DEFAULT-VALUE}).")
    int databasePort;

    @Option(names = "--replicas", paramLabel = "SERVICE=COUNT",
            description = "Processes of a service, e.g. ingest-service=2: the first on the service's port, the others "
                    + "on free ones (repeatable; default 1 each).")
    Map<String, Integer> replicas = new LinkedHashMap<>();

    @Option(names = "--port", paramLabel = "SERVICE=PORT",
            description = "A service's HTTP port, e.g. ingest-service=18081 (repeatable; defaults: ingest-service "
                    + "8081, trainer-service 8082, evaluator-service 8083, model-registry 8084, serving-service 8085).")
    Map<String, Integer> servicePorts = new LinkedHashMap<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** What the options ask for; an unknown service name in {@code --port} is refused with the known ones. */
    LocalStack.Settings settings() {
        LocalStack.Settings defaults = LocalStack.Settings.defaults(repository.toAbsolutePath().normalize());
        Map<LocalStack.Service, Integer> ports = new EnumMap<>(defaults.ports());
        servicePorts.forEach((module, port) -> ports.put(service("--port", module), port));
        Map<LocalStack.Service, Integer> counts = new EnumMap<>(LocalStack.Service.class);
        replicas.forEach((module, count) -> counts.put(service("--replicas", module), count));
        try {
            return new LocalStack.Settings(defaults.repository(), stack.dataDirectory, kafkaPort, s3Port, databasePort,
                    defaults.services(), ports, Map.of(LocalStack.Service.TRAINER, trainerProperties), counts);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--replicas: " + e.getMessage());
        }
    }

    private LocalStack.Service service(String option, String module) {
        for (LocalStack.Service service : LocalStack.Service.values()) {
            if (service.module().equals(module)) {
                return service;
            }
        }
        throw new CommandLine.ParameterException(spec.commandLine(), option + " " + module
                + ": no such service; one of "
                + Arrays.stream(LocalStack.Service.values()).map(LocalStack.Service::module)
                .collect(Collectors.joining(", ")));
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        LocalStack running = LocalStack.start(settings(), line -> {
            out.println(line);
            out.flush();
        });
        for (Path backbone : backbones) {
            out.println("backbone " + running.uploadBackbone(backbone));
        }
        out.println();
        out.println("The pipeline is up. Ctrl-C stops it; data and credentials stay in "
                + stack.dataDirectory.toAbsolutePath().normalize());
        for (LocalStack.Service service : LocalStack.Service.values()) {
            for (String url : running.urls(service)) {
                out.printf("  %-18s %s  (OpenAPI %s/q/swagger-ui)%n", service.module(), url, url);
            }
        }
        out.println("  Kafka              " + running.kafkaBootstrapServers());
        out.println("Console: " + running.url(LocalStack.Service.REGISTRY) + "/ (models, runs, decisions; reads open, "
                + "changes with the admin token in " + stack.dataDirectory.toAbsolutePath().normalize()
                .resolve("secrets.properties") + ")");
        out.println("  S3                 " + running.objectStoreSettings().endpoint());
        out.println("Upload with: pipeline ingest <folder|archive> --dataset <id>");
        out.flush();
        // Ctrl-C ends the JVM; the stack's shutdown hook stops the services and the infrastructure.
        Thread.currentThread().join();
        return 0;
    }
}
