package io.stagetune.trainer.worker;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.stagetune.common.Topics;
import io.stagetune.common.checkpoint.CheckpointManifest;
import io.stagetune.common.events.Stage;
import io.stagetune.common.events.StageCommand;
import io.stagetune.common.registry.RunRequest;
import io.stagetune.common.storage.ObjectStore;
import io.stagetune.localstack.infrastructure.EmbeddedKafka;
import io.stagetune.localstack.infrastructure.EmbeddedS3;
import io.stagetune.testsupport.InjectKafka;
import io.stagetune.testsupport.InjectS3;
import io.stagetune.testsupport.TopicEvents;
import io.stagetune.trainer.lease.LeaseLostException;
import io.stagetune.trainer.lease.RegistryStageLeases;
import io.stagetune.trainer.lease.StageLease;
import io.stagetune.trainer.lease.StageLeases;
import io.stagetune.trainer.registry.RegistryRunsProfile;
import io.stagetune.trainer.registry.TrainerRegistry;
import io.stagetune.trainer.registry.UntilReachable;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A worker whose lease was taken over while it was cut off (it trained on, its renewals no longer reached the
 * registry): its checkpoint and its publication are refused, and the stage's checkpoint is the new holder's, whole.
 * Two workers' leases (the registry as a process) around this application's real executor, store and broker.
 */
@QuarkusTest
@TestProfile(RegistryRunsProfile.class)
class FencedWriterTest {

    private static final List<String> LABELS = List.of("bag", "sneaker", "trouser");

    @InjectKafka
    EmbeddedKafka kafka;

    @InjectS3
    EmbeddedS3 s3;

    @Inject
    StageExecutor executor;

    @Inject
    StageWorker worker;

    @Inject
    TrainerRegistry registry;

    @Test
    void aWorkerThatLostItsLeaseCannotWriteTheCheckpointNorPublishIt() throws Exception {
        ObjectStore store = new ObjectStore(s3.settings());
        TrainingDataset.uploadBackbone(store);
        TrainingDataset.create(store, "fenced", 1, LABELS);
        StageCommand command = StageCommand.first("fenced.run", "fenced", "fenced", 1, List.of(Stage.HEAD),
                TrainingDataset.BACKBONE_URI, Map.of("maxEpochs", "2", "patience", "2", "headLearningRate", "0.02",
                        "preprocessing.resize", "28", "preprocessing.crop", "28"));
        registry.createRun(new RunRequest(command.runId(), command.model(), command.datasetId(), 1, command.plan(),
                command.baseBackbone(), "test", command.hyperparameters(), null, LABELS));
        UntilReachable retries = new UntilReachable(Duration.ofMillis(200), Duration.ofSeconds(1));
        RegistryStageLeases workerA = new RegistryStageLeases(registry, "worker-a", Duration.ofSeconds(1), retries);
        RegistryStageLeases workerB = new RegistryStageLeases(registry, "worker-b", Duration.ofSeconds(30), retries);

        // Worker A trains both epochs, then is cut off from the registry (its renewals stop) until B has finished.
        StageLease leaseA = workerA.acquire(command).lease();
        CountDownLatch cutOff = new CountDownLatch(1);
        CountDownLatch bFinished = new CountDownLatch(1);
        CompletableFuture<StageExecutor.Outcome> trainedByA = CompletableFuture.supplyAsync(() -> {
            try {
                return executor.execute(command, leaseA, (c, report, max) -> {
                    if (report.epoch() == max) {
                        leaseA.close();
                        cutOff.countDown();
                        waitFor(bFinished);
                    }
                });
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertThat(cutOff.await(2, TimeUnit.MINUTES)).isTrue();

        // A's lease expires; B takes the stage over, resumes from A's last epoch, completes and publishes it.
        StageLease leaseB = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> workerB.acquire(command), StageLeases.Acquisition::granted).lease();
        assertThat(leaseB.token()).isEqualTo(2);
        assertThat(leaseB.epochCheckpoint()).contains("s3://checkpoints/fenced/fenced.run/head/attempts/1/epoch-2/");
        StageExecutor.Outcome outcomeB = executor.execute(command, leaseB, (c, report, max) -> { });
        worker.publishResults(command, outcomeB, leaseB);
        Instant finishedByB = Instant.now();
        bFinished.countDown();

        assertThatThrownBy(trainedByA::join).hasCauseInstanceOf(LeaseLostException.class)
                .cause().hasMessageContaining("complete with lease token 1 refused");
        StageExecutor.Outcome lateOutcome = new StageExecutor.Outcome(outcomeB.checkpoint(), outcomeB.uri(), true);
        assertThatThrownBy(() -> worker.publishResults(command, lateOutcome, leaseA))
                .isInstanceOf(LeaseLostException.class);

        String prefix = "fenced/fenced.run/head/";
        assertThat(store.list("checkpoints", prefix)).as("B's files, A's attempt deleted").containsExactlyInAnyOrder(
                prefix + "backbone.pt", prefix + "head.safetensors", prefix + "metrics.json",
                prefix + "checkpoint.json");
        CheckpointManifest stageManifest = TrainingDataset.manifest(store, "s3://checkpoints/" + prefix);
        assertThat(stageManifest.createdAt()).as("written by B, not by A after it resumed").isBefore(finishedByB);
        assertThat(TopicEvents.read(kafka.bootstrapServers(), Topics.TRAINING_CHECKPOINTS, command.runId(), 2,
                Duration.ofSeconds(5))).as("one CheckpointPublished, B's").hasSize(1);
        workerA.close();
        workerB.close();
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            assertThat(latch.await(2, TimeUnit.MINUTES)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
