package io.stagetune.localstack;

import io.stagetune.localstack.infrastructure.LocalInfrastructure;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** Starts the {@link LocalInfrastructure}, prints how services reach it, and runs until Ctrl-C. */
@Command(name = "local-infrastructure", mixinStandardHelpOptions = true,
        description = "Runs Kafka and an S3-compatible store in one process, keeping their data in a folder.")
public final class InfrastructureCommand implements Callable<Integer> {

    @Option(names = "--data-dir", description = "Folder for Kafka and S3 data (default: ${DEFAULT-VALUE}).",
            defaultValue = ".data")
    Path dataDirectory;

    @Option(names = "--kafka-port", description = "Kafka port on localhost, 0 for any (default: ${DEFAULT-VALUE}).",
            defaultValue = "" + LocalInfrastructure.DEFAULT_KAFKA_PORT)
    int kafkaPort;

    @Option(names = "--s3-port", description = "S3 port on 127.0.0.1, 0 for any (default: ${DEFAULT-VALUE}).",
            defaultValue = "" + LocalInfrastructure.DEFAULT_S3_PORT)
    int s3Port;

    @Option(names = "--s3-access-key", defaultValue = "${env:PIPELINE_OBJECT_STORE_ACCESS_KEY}",
            description = "S3 access key (default: $PIPELINE_OBJECT_STORE_ACCESS_KEY, else generated).")
    String s3AccessKey;

    @Option(names = "--s3-secret-key", defaultValue = "${env:PIPELINE_OBJECT_STORE_SECRET_KEY}",
            description = "S3 secret key (default: $PIPELINE_OBJECT_STORE_SECRET_KEY, else generated).")
    String s3SecretKey;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new InfrastructureCommand()).execute(args));
    }

    LocalInfrastructure.Settings settings() {
        return LocalInfrastructure.Settings.defaults()
                .withDataDirectory(dataDirectory)
                .withPorts(kafkaPort, s3Port)
                .withS3Credentials(s3AccessKey, s3SecretKey);
    }

    @Override
    public Integer call() throws InterruptedException {
        LocalInfrastructure infrastructure = LocalInfrastructure.start(settings());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                infrastructure.close();
            } finally {
                stopped.countDown();
            }
        }, "local-infrastructure-shutdown"));

        PrintWriter out = spec.commandLine().getOut();
        out.println("Local infrastructure is up, data in " + infrastructure.dataDirectory() + ". Ctrl-C stops it.");
        out.println("Services reach it with:");
        out.println("  KAFKA_BOOTSTRAP_SERVERS=" + infrastructure.kafkaBootstrapServers());
        out.println("  PIPELINE_OBJECT_STORE_ENDPOINT=" + infrastructure.objectStoreSettings().endpoint());
        out.println("  PIPELINE_OBJECT_STORE_ACCESS_KEY=" + infrastructure.objectStoreSettings().accessKey());
        out.println("  PIPELINE_OBJECT_STORE_SECRET_KEY=" + infrastructure.objectStoreSettings().secretKey());
        out.flush();
        stopped.await();
        return 0;
    }
}
