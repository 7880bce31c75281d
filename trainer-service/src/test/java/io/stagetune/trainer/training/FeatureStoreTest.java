package io.stagetune.trainer.training;

import io.stagetune.common.events.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** HEAD's frozen-backbone features kept on disk beyond the stage, keyed by backbone, transform and image content. */
class FeatureStoreTest {

    private static final String TRANSFORM = "sample 28x28, [-1, 1]";

    private static KeyedImages train;
    private static KeyedImages validation;

    @TempDir
    Path root;

    @BeforeAll
    static void images() throws IOException {
        train = new KeyedImages(FashionMnistSample.train(), TRANSFORM);
        validation = new KeyedImages(FashionMnistSample.test(), TRANSFORM);
    }

    @Test
    void aSecondHeadStageReusesEveryFeatureAndTrainsExactlyTheSameHead() throws IOException {
        FeatureStore store = new FeatureStore(root);
        StageResult first = head(TrainingFixtures.TINY_BACKBONE, train, validation, store);
        assertThat(store.misses()).isEqualTo(train.size() + validation.size());
        assertThat(store.hits()).isZero();

        StageResult second = head(TrainingFixtures.TINY_BACKBONE, train, validation, store);
        StageResult withoutStore = head(TrainingFixtures.TINY_BACKBONE, train, validation, null);

        assertThat(store.hits()).isEqualTo(train.size() + validation.size());
        assertThat(store.misses()).isEqualTo(train.size() + validation.size());
        assertThat(second.best().head().weight()).isEqualTo(first.best().head().weight());
        assertThat(withoutStore.best().head().weight()).isEqualTo(first.best().head().weight());
        assertThat(second.progress().history()).extracting(EpochReport::trainLoss, EpochReport::valAccuracy)
                .isEqualTo(first.progress().history().stream()
                        .map(report -> tuple(report.trainLoss(), report.valAccuracy()))
                        .toList());
    }

    @Test
    void aGrowingDatasetComputesTheFeaturesOfItsNewImagesOnly() throws IOException {
        FeatureStore store = new FeatureStore(root);
        head(TrainingFixtures.TINY_BACKBONE, new KeyedImages(train, 250, TRANSFORM), validation, store);
        long computed = store.misses();

        head(TrainingFixtures.TINY_BACKBONE, train, validation, store);

        assertThat(store.misses() - computed).isEqualTo(train.size() - 250);
        assertThat(store.hits()).isEqualTo(250 + validation.size());
    }

    @Test
    void anotherBackboneOrTransformNeverMeetsTheFeaturesOfThisOne(@TempDir Path scratch) throws IOException {
        FeatureStore store = new FeatureStore(root);
        head(TrainingFixtures.TINY_BACKBONE, train, validation, store);
        Path other = scratch.resolve("other.pt");
        Files.copy(TrainingFixtures.TINY_BACKBONE.resolveSibling("resnet-small.pt"), other);

        head(other, train, validation, store);
        head(TrainingFixtures.TINY_BACKBONE, new KeyedImages(train, "another transform"),
                new KeyedImages(validation, "another transform"), store);

        assertThat(store.hits()).isZero();
        assertThat(store.misses()).isEqualTo(3L * (train.size() + validation.size()));
    }

    @Test
    void aTruncatedFeatureIsComputedAgainAndRewritten() throws IOException {
        FeatureStore store = new FeatureStore(root);
        head(TrainingFixtures.TINY_BACKBONE, train, validation, store);
        Path damaged;
        try (Stream<Path> files = Files.walk(root)) {
            damaged = files.filter(file -> file.toString().endsWith(".f32")).findFirst().orElseThrow();
        }
        long length = Files.size(damaged);
        Files.write(damaged, new byte[7]);

        head(TrainingFixtures.TINY_BACKBONE, train, validation, store);

        assertThat(store.misses()).isEqualTo(train.size() + validation.size() + 1L);
        assertThat(Files.size(damaged)).isEqualTo(length);
        try (Stream<Path> files = Files.walk(root)) {
            assertThat(files.filter(file -> file.toString().endsWith(".partial")).toList()).isEmpty();
        }
    }

    private static StageResult head(Path backbone, LabelledImageSource training, LabelledImageSource validating,
                                    FeatureStore store) throws IOException {
        List<String> labels = FashionMnistSample.train().labels();
        return new StageTrainer().train(StageRequest.of(Stage.HEAD, backbone, labels, training, validating)
                .withHyperparameters(TrainingFixtures.fast(Stage.HEAD, 3, "headLearningRate=0.05"))
                .withFeatureStore(store), EpochListener.NONE);
    }
}
