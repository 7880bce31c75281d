package io.stagetune.serving.model;

import io.stagetune.inference.CheckpointModel;
import io.stagetune.serving.ServingFixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The batcher over the committed tiny backbone on the CPU: what one forward takes, before and after a limit. */
class BatcherTest {

    @TempDir
    static Path scratch;

    private static CheckpointModel network;

    @BeforeAll
    static void load() throws Exception {
        network = CheckpointModel.load(ServingFixtures.writeCheckpoint(scratch.resolve("checkpoint"), 1,
                Files.readAllBytes(ServingFixtures.TINY_BACKBONE)));
    }

    @AfterAll
    static void close() {
        if (network != null) {
            network.close();
        }
    }

    @Test
    void queuedRequestsShareAForwardUpToTheLimitAndALowerLimitSplitsThem() throws Exception {
        List<Integer> forwards = new CopyOnWriteArrayList<>();
        // A long wait makes the first request of a batch wait for the others, whatever the machine's speed.
        try (Batcher batcher = new Batcher("test", network, 1, 8, Duration.ofSeconds(2), forwards::add)) {
            assertThat(submitSingles(batcher, 6)).allSatisfy(logits -> assertThat(logits.length).isEqualTo(1));
            assertThat(forwards).as("six requests within the wait: one forward").containsExactly(6);

            forwards.clear();
            batcher.limit(2);
            assertThat(batcher.maxSize()).isEqualTo(2);
            assertThat(submitSingles(batcher, 6)).hasSize(6);
            assertThat(forwards).as("at most the limit per forward").containsExactly(2, 2, 2);

            forwards.clear();
            float[][] larger = batcher.submit(new float[3 * network.preprocessor().outputLength()], 3)
                    .get(30, TimeUnit.SECONDS);
            assertThat(larger.length).as("a request above the limit is not split").isEqualTo(3);
            assertThat(forwards).containsExactly(3);
        }
    }

    @Test
    void aLimitBelowOneIsRefused() throws Exception {
        try (Batcher batcher = new Batcher("test", network, 1, 8, Duration.ZERO, size -> { })) {
            assertThatThrownBy(() -> batcher.limit(0)).isInstanceOf(IllegalArgumentException.class);
            assertThat(batcher.maxSize()).isEqualTo(8);
        }
    }

    private static List<float[][]> submitSingles(Batcher batcher, int count) throws Exception {
        List<CompletableFuture<float[][]>> pending = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            pending.add(batcher.submit(new float[network.preprocessor().outputLength()], 1));
        }
        List<float[][]> results = new ArrayList<>();
        for (CompletableFuture<float[][]> result : pending) {
            results.add(result.get(30, TimeUnit.SECONDS));
        }
        return results;
    }
}
