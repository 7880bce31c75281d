package io.stagetune.trainer.training;

import io.stagetune.common.checkpoint.HeadWeights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.stagetune.common.events.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

class StageTrainerTest {

    private static final double CHANCE = 0.1;

    @TempDir
    static Path scratch;

    private static FashionMnistSample train;
    private static FashionMnistSample validation;
    private static Map<String, float[]> baseParameters;
    private static StageResult head;
    private static Path headCheckpoint;

    @BeforeAll
    static void trainHead() throws IOException {
        train = FashionMnistSample.train();
        validation = FashionMnistSample.test();
        baseParameters = TrainingFixtures.backboneParameters(TrainingFixtures.TINY_BACKBONE);
        head = new StageTrainer().train(request(Stage.HEAD, TrainingFixtures.TINY_BACKBONE)
                .withHyperparameters(TrainingFixtures.fast(Stage.HEAD, 10, "headLearningRate=0.05")), EpochListener.NONE);
        headCheckpoint = scratch.resolve("head");
        head.writeTo(headCheckpoint);
    }

    @Test
    void headLeavesEveryBackboneParameterUnchangedAndLearns() throws IOException {
        assertUnchanged(TrainingFixtures.backboneParameters(headCheckpoint.resolve(ModelWeights.BACKBONE_FILE)));
        assertThat(head.progress().bestValAccuracy()).isGreaterThan(2.5 * CHANCE);
        assertThat(head.progress().history()).hasSize(10);
    }

    @Test
    void aStageThatFailsMidwayLeavesItsThreadAbleToTrainAgain() throws IOException {
        StageRequest cached = request(Stage.HEAD, TrainingFixtures.TINY_BACKBONE)
                .withHyperparameters(TrainingFixtures.fast(Stage.HEAD, 2));
        assertThatThrownBy(() -> new StageTrainer().train(cached, (report, snapshot) -> {
            snapshot.saveTo(scratch.resolve("failing"));
            throw new IllegalStateException("storage went away");
        })).hasMessage("storage went away");
        StageRequest uncached = request(Stage.LAYER4, TrainingFixtures.TINY_BACKBONE)
                .withHyperparameters(TrainingFixtures.fast(Stage.LAYER4, 2));
        assertThat(new StageTrainer().train(uncached, EpochListener.NONE).progress().epoch()).isEqualTo(2);
    }

    @Test
    void aStageWhoseLossIsNoLongerFiniteStopsBeforeReportingAnEpoch() {
        // One training image whose pixels are NaN (as a broken kernel or a corrupt input would make them).
        LabelledImageSource poisoned = new LabelledImageSource() {
            @Override
            public int size() {
                return train.size();
            }

            @Override
            public ImageShape shape() {
                return train.shape();
            }

            @Override
            public int label(int index) {
                return train.label(index);
            }

            @Override
            public void fillForEvaluation(int index, float[] target, int offset) {
                train.fillForEvaluation(index, target, offset);
                if (index == 100) {
                    Arrays.fill(target, offset, offset + shape().floats(), Float.NaN);
                }
            }

            @Override
            public void fillForTraining(int index, float[] target, int offset, Random random) {
                fillForEvaluation(index, target, offset);
            }
        };
        StageRequest diverging = StageRequest.of(Stage.LAYER4, TrainingFixtures.TINY_BACKBONE, train.labels(),
                poisoned, validation).withHyperparameters(TrainingFixtures.fast(Stage.LAYER4, 2));
        List<EpochReport> reported = new ArrayList<>();

        assertThatThrownBy(() -> new StageTrainer().train(diverging, (report, snapshot) -> reported.add(report)))
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessageMatching("LAYER4 epoch 1: the loss of the step on images \\d+\\.\\.\\d+ of the epoch's "
                        + "order is NaN; .*");
        assertThat(reported).isEmpty();

        // Weights that went bad in an epoch's last update: validation sees outputs that are not finite.
        StageRequest badWeights = StageRequest.of(Stage.LAYER4, TrainingFixtures.TINY_BACKBONE, train.labels(), train,
                poisoned).withHyperparameters(TrainingFixtures.fast(Stage.LAYER4, 2));
        assertThatThrownBy(() -> new StageTrainer().train(badWeights, (report, snapshot) -> reported.add(report)))
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessageStartingWith("LAYER4 epoch 1: the network's outputs on validation images 96..127 are not "
                        + "finite; ");
        assertThat(reported).isEmpty();
    }

    @Test
    void headWithoutFeatureCacheAlsoLeavesTheBackboneUnchanged() throws IOException {
        StageResult uncached = new StageTrainer().train(request(Stage.HEAD, TrainingFixtures.TINY_BACKBONE)
                .withHyperparameters(TrainingFixtures.fast(Stage.HEAD, 2, "featureCache=false")), EpochListener.NONE);

        assertUnchanged(TrainingFixtures.backboneParameters(uncached.best().backboneTorchScript(), scratch));
        assertThat(uncached.progress().bestValAccuracy()).isGreaterThan(CHANCE);
    }

    @Test
    void layer4ChangesOnlyLayer4AndTheHead() throws IOException {
        StageResult layer4 = new StageTrainer().train(fromHead(Stage.LAYER4, 2), EpochListener.NONE);

        Map<String, float[]> trained = TrainingFixtures.backboneParameters(layer4.best().backboneTorchScript(), scratch);
        assertThat(changedNames(trained)).isNotEmpty()
                .allSatisfy(name -> assertThat(name).startsWith("layer4."))
                .containsExactlyInAnyOrderElementsOf(baseParameters.keySet().stream()
                        .filter(name -> name.startsWith("layer4.")).toList());
        assertThat(layer4.best().head().weight()).isNotEqualTo(head.best().head().weight());
        assertThat(layer4.progress().bestValAccuracy()).isGreaterThan(2.5 * CHANCE);
    }

    @Test
    void fullChangesEveryParameter() throws IOException {
        StageResult full = new StageTrainer().train(fromHead(Stage.FULL, 1), EpochListener.NONE);

        Map<String, float[]> trained = TrainingFixtures.backboneParameters(full.best().backboneTorchScript(), scratch);
        assertThat(changedNames(trained)).containsExactlyInAnyOrderElementsOf(baseParameters.keySet());
        assertThat(full.best().head().weight()).isNotEqualTo(head.best().head().weight());
    }

    @Test
    void savedStageOutputReloadsAndPredictsAsTheBestEpochDid() throws IOException {
        StageResult layer4 = new StageTrainer().train(fromHead(Stage.LAYER4, 2), EpochListener.NONE);
        Path output = scratch.resolve("layer4-output");
        layer4.writeTo(output);

        long[] fromFiles = predictions(output);
        assertThat(accuracy(fromFiles)).isEqualTo(layer4.progress().bestValAccuracy());
        assertThat(output.resolve(StageResult.METRICS_FILE)).isRegularFile();
        assertThat(HeadWeights.read(output.resolve(HeadWeights.FILE_NAME)).labels()).isEqualTo(train.labels());
    }

    @Test
    void resumedStageContinuesAtTheNextEpochAsIfUninterrupted() throws IOException {
        StageRequest request = fromHead(Stage.LAYER4, 3);
        Path epochCheckpoint = scratch.resolve("epoch-2");
        List<EpochReport> uninterrupted = new ArrayList<>();
        new StageTrainer().train(request, (report, snapshot) -> {
            uninterrupted.add(report);
            if (report.epoch() == 2) {
                snapshot.saveTo(epochCheckpoint);
            }
        });

        List<EpochReport> resumed = new ArrayList<>();
        StageResult result = new StageTrainer().train(request.resumingFrom(epochCheckpoint),
                (report, snapshot) -> resumed.add(report));

        assertThat(resumed).extracting(EpochReport::epoch).containsExactly(3);
        assertThat(result.progress().history()).extracting(EpochReport::epoch).containsExactly(1, 2, 3);
        // Same weights, momentum, shuffling and augmentation: epoch 3 repeats itself up to float noise.
        assertThat(resumed.get(0).trainLoss()).isCloseTo(uninterrupted.get(2).trainLoss(),
                offset(1e-4));
        assertThat(resumed.get(0).valAccuracy()).isCloseTo(uninterrupted.get(2).valAccuracy(),
                offset(0.011));
    }

    private static StageRequest request(Stage stage, Path backbone) {
        return StageRequest.of(stage, backbone, train.labels(), train, validation);
    }

    private static StageRequest fromHead(Stage stage, int epochs) {
        return request(stage, headCheckpoint.resolve(ModelWeights.BACKBONE_FILE))
                .withParentHead(headCheckpoint.resolve(HeadWeights.FILE_NAME))
                .withHyperparameters(TrainingFixtures.fast(stage, epochs));
    }

    private static void assertUnchanged(Map<String, float[]> trained) {
        assertThat(trained.keySet()).isEqualTo(baseParameters.keySet());
        assertThat(changedNames(trained)).isEmpty();
    }

    private static List<String> changedNames(Map<String, float[]> trained) {
        return trained.entrySet().stream()
                .filter(entry -> !Arrays.equals(entry.getValue(), baseParameters.get(entry.getKey())))
                .map(Map.Entry::getKey)
                .toList();
    }

    private static long[] predictions(Path checkpoint) throws IOException {
        try (StageModel model = StageModel.load(checkpoint.resolve(ModelWeights.BACKBONE_FILE), validation.shape(),
                train.labels(), HeadWeights.read(checkpoint.resolve(HeadWeights.FILE_NAME)));
             NDManager manager = model.model().getNDManager().newSubManager()) {
            int[] all = BatchAssembler.identity(validation.size());
            NDArray images = new BatchAssembler(validation, all.length).assemble(manager, all, 0, all.length, null).get(0);
            return model.predict(images).argMax(1).toLongArray();
        }
    }

    private static double accuracy(long[] predicted) {
        long correct = 0;
        for (int i = 0; i < predicted.length; i++) {
            correct += predicted[i] == validation.label(i) ? 1 : 0;
        }
        return (double) correct / predicted.length;
    }
}
