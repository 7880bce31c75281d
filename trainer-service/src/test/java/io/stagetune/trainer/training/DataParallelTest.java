package io.stagetune.trainer.training;

import io.stagetune.common.checkpoint.HeadWeights;
import io.stagetune.common.events.Stage;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

/**
 * Data-parallel training on two replicas of the network. Without GPUs both replicas live on the CPU: every step
 * still goes through the split batch, the two threads, the summed gradients and the per-replica updates that
 * several GPUs take.
 */
class DataParallelTest {

    private static final List<Device> ONE = List.of(Device.cpu());
    private static final List<Device> TWO = List.of(Device.cpu(), Device.cpu());

    @TempDir
    static Path scratch;

    private static FashionMnistSample train;
    private static FashionMnistSample validation;
    private static Path headCheckpoint;

    @BeforeAll
    static void trainHead() throws IOException {
        train = FashionMnistSample.train();
        validation = FashionMnistSample.test();
        headCheckpoint = scratch.resolve("head");
        new StageTrainer().train(StageRequest.of(Stage.HEAD, TrainingFixtures.TINY_BACKBONE, train.labels(), train,
                        validation).withHyperparameters(TrainingFixtures.fast(Stage.HEAD, 3, "headLearningRate=0.05")),
                EpochListener.NONE).writeTo(headCheckpoint);
    }

    @Test
    void twoReplicasTrainExactlyAsOneNetworkOnTheWholeBatch() throws IOException {
        // HEAD through the frozen backbone (BatchNorm in inference mode), so every example's logits do not depend
        // on the rest of its batch and the split batch must give the whole batch's gradient. A batch of 23 makes
        // uneven shards (12 + 11) and a last batch of 2 (1 + 1).
        StageRequest request = StageRequest.of(Stage.HEAD, TrainingFixtures.TINY_BACKBONE, train.labels(), train,
                validation).withHyperparameters(TrainingFixtures.fast(Stage.HEAD, 2, "featureCache=false",
                "batchSize=23", "headLearningRate=0.05"));

        StageResult single = new StageTrainer().train(request.onDevices(ONE), EpochListener.NONE);
        StageResult parallel = new StageTrainer().train(request.onDevices(TWO), EpochListener.NONE);

        for (int epoch = 0; epoch < 2; epoch++) {
            EpochReport one = single.progress().history().get(epoch);
            EpochReport two = parallel.progress().history().get(epoch);
            assertThat(two.trainLoss()).as("epoch %d loss", epoch + 1).isCloseTo(one.trainLoss(), offset(1e-5));
            assertThat(two.trainAccuracy()).isEqualTo(one.trainAccuracy());
            assertThat(two.valAccuracy()).isEqualTo(one.valAccuracy());
        }
        assertClose(parallel.best().head().weight(), single.best().head().weight(), 1e-5f);
        assertClose(parallel.best().head().bias(), single.best().head().bias(), 1e-5f);
        // And it learnt: not a pair of equally untrained networks.
        assertThat(parallel.best().head().weight()).isNotEqualTo(
                HeadWeights.read(headCheckpoint.resolve(HeadWeights.FILE_NAME)).weight());
    }

    @Test
    void replicasStayIdenticalWhileEveryLayerAndItsBatchNormTrain() throws IOException {
        StageHyperparameters hyperparameters = TrainingFixtures.fast(Stage.FULL, 1, "batchSize=32");
        Engine.getEngine("PyTorch");
        JniUtils.setGraphExecutorOptimize(false);
        Path backbone = headCheckpoint.resolve(ModelWeights.BACKBONE_FILE);
        try (StageModel primary = StageModel.load(backbone, train.shape(), train.labels(),
                HeadWeights.read(headCheckpoint.resolve(HeadWeights.FILE_NAME)), Device.cpu())) {
            StageTrainer.applyTrainability(primary, hyperparameters);
            Map<String, float[]> before = values(primary);
            try (ImageEpochData data = new ImageEpochData(primary, train, validation, 32, PreprocessingPool.inline());
                 Replicas replicas = Replicas.of(primary, TWO, backbone,
                         replica -> StageTrainer.applyTrainability(replica, hyperparameters))) {
                assertThat(differing(values(replicas.models().get(1)), before)).as("the fresh replica").isEmpty();
                DiscriminativeSgd optimizer = new DiscriminativeSgd(replicas.models(),
                        rates(primary, 0.01f), 0.9f, 1e-4f);

                StageTrainer.trainEpoch(replicas, optimizer, data, 32, new Random(7));

                Map<String, float[]> trained = values(primary);
                assertThat(differing(values(replicas.models().get(1)), trained)).as("the replica after an epoch")
                        .isEmpty();
                assertThat(differing(trained, before)).as("parameters FULL changed")
                        .containsExactlyInAnyOrderElementsOf(before.keySet());
                assertThat(optimizer.velocity("backbone.layer1.0.conv1.weight")).isPresent();
            }
        } finally {
            JniUtils.setGraphExecutorOptimize(true);
        }
    }

    @Test
    void aFullStageOnTwoReplicasLearnsAndResumesFromItsEpochCheckpoint() throws IOException {
        StageRequest request = StageRequest.of(Stage.FULL, headCheckpoint.resolve(ModelWeights.BACKBONE_FILE),
                        train.labels(), train, validation)
                .withParentHead(headCheckpoint.resolve(HeadWeights.FILE_NAME))
                .withHyperparameters(TrainingFixtures.fast(Stage.FULL, 3))
                .onDevices(TWO);
        Path epochCheckpoint = scratch.resolve("full-epoch-2");
        List<EpochReport> uninterrupted = new ArrayList<>();
        StageResult full = new StageTrainer().train(request, (report, snapshot) -> {
            uninterrupted.add(report);
            if (report.epoch() == 2) {
                snapshot.saveTo(epochCheckpoint);
            }
        });
        assertThat(full.progress().bestValAccuracy()).isGreaterThan(0.5);

        List<EpochReport> resumed = new ArrayList<>();
        new StageTrainer().train(request.resumingFrom(epochCheckpoint), (report, snapshot) -> resumed.add(report));
        // Momentum restored on both replicas, same shards: epoch 3 repeats itself up to float noise.
        assertThat(resumed).extracting(EpochReport::epoch).containsExactly(3);
        assertThat(resumed.get(0).trainLoss()).isCloseTo(uninterrupted.get(2).trainLoss(), offset(1e-4));
    }

    private static Map<String, Float> rates(StageModel model, float rate) {
        Map<String, Float> rates = new HashMap<>();
        EpochSnapshot.namedParameters(model).keySet().forEach(name -> rates.put(name, rate));
        return rates;
    }

    private static Map<String, float[]> values(StageModel model) {
        Map<String, float[]> values = new LinkedHashMap<>();
        EpochSnapshot.namedParameters(model).forEach((String name, Parameter parameter) ->
                values.put(name, parameter.getArray().toFloatArray()));
        return values;
    }

    /** Names of the parameters whose values differ, bit for bit. */
    private static List<String> differing(Map<String, float[]> actual, Map<String, float[]> expected) {
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        return expected.keySet().stream().filter(name -> !Arrays.equals(actual.get(name), expected.get(name)))
                .toList();
    }

    private static void assertClose(float[] actual, float[] expected, float tolerance) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) {
            assertThat(actual[i]).as("element %d", i).isCloseTo(expected[i], offset(tolerance));
        }
    }
}
