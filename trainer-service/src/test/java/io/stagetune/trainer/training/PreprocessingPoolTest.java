package io.stagetune.trainer.training;

import ai.djl.Device;
import io.stagetune.common.events.Stage;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PreprocessingPoolTest {

    @Test
    void aBatchIsTheSameWhateverTheThreadsThatPrepareIt() throws IOException {
        FashionMnistSample sample = FashionMnistSample.train();
        int[] order = BatchAssembler.shuffled(sample.size(), new Random(3));
        int floats = sample.shape().floats();
        float[][] pixels = new float[3][23 * floats];
        float[][] labels = new float[3][23];
        int[] threads = {1, 2, 5};
        for (int i = 0; i < threads.length; i++) {
            try (PreprocessingPool pool = new PreprocessingPool(threads[i])) {
                pool.fill(sample, order, 7, 30, 42L, pixels[i], labels[i]);
            }
        }

        assertThat(pixels[1]).containsExactly(pixels[0]);
        assertThat(pixels[2]).containsExactly(pixels[0]);
        assertThat(labels[2]).containsExactly(labels[0]);
        assertThat(labels[0][0]).isEqualTo(sample.label(order[7]));
        // Augmented: another seed draws other crops and flips; no seed is the eval transform.
        float[] otherSeed = new float[pixels[0].length];
        float[] evaluation = new float[pixels[0].length];
        try (PreprocessingPool pool = new PreprocessingPool(2)) {
            pool.fill(sample, order, 7, 30, 43L, otherSeed, new float[23]);
            pool.fill(sample, order, 7, 30, null, evaluation, new float[23]);
        }
        assertThat(otherSeed).isNotEqualTo(pixels[0]);
        float[] expected = new float[floats];
        sample.fillForEvaluation(order[8], expected, 0);
        float[] second = new float[floats];
        System.arraycopy(evaluation, floats, second, 0, floats);
        assertThat(second).containsExactly(expected);
    }

    @Test
    void theBatchIsSharedOutAmongTheThreads() {
        Map<Integer, String> threadOf = new ConcurrentHashMap<>();
        LabelledImageSource source = new RecordingSource(threadOf, -1);

        try (PreprocessingPool pool = new PreprocessingPool(3)) {
            pool.fill(source, BatchAssembler.identity(12), 0, 12, 1L, new float[12], new float[12]);
            pool.fill(source, BatchAssembler.identity(12), 12, 12, 1L, new float[0], new float[0]);
        }

        assertThat(threadOf).hasSize(12);
        assertThat(Set.copyOf(threadOf.values())).hasSize(3).contains(Thread.currentThread().getName());
    }

    @Test
    void aFailureOnAHelperThreadReachesTheCaller() {
        LabelledImageSource source = new RecordingSource(new ConcurrentHashMap<>(), 10);

        try (PreprocessingPool pool = new PreprocessingPool(3)) {
            assertThatThrownBy(() -> pool.fill(source, BatchAssembler.identity(12), 0, 12, 1L, new float[12],
                    new float[12])).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("image 10");
        }
        assertThatThrownBy(() -> new PreprocessingPool(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void threadsAreChosenByWhereTheStageTrains() throws IOException {
        FashionMnistSample sample = FashionMnistSample.train();
        StageRequest onCpu = StageRequest.of(Stage.HEAD, Path.of("backbone.pt"),
                sample.labels(), sample, sample).onDevices(List.of(Device.cpu(), Device.cpu()));

        assertThat(onCpu.resolvedPreprocessingThreads()).isEqualTo(1);
        assertThat(onCpu.withPreprocessingThreads(6).resolvedPreprocessingThreads()).isEqualTo(6);
        assertThat(onCpu.onDevices(List.of(Device.gpu(0))).resolvedPreprocessingThreads())
                .isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
        assertThatThrownBy(() -> onCpu.withPreprocessingThreads(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    /** One float per image; records which thread wrote each, and fails on one image when asked. */
    private record RecordingSource(Map<Integer, String> threadOf, int failing) implements LabelledImageSource {

        @Override
        public int size() {
            return 12;
        }

        @Override
        public ImageShape shape() {
            return new ImageShape(1, 1, 1);
        }

        @Override
        public int label(int index) {
            return 0;
        }

        @Override
        public void fillForEvaluation(int index, float[] target, int offset) {
            fillForTraining(index, target, offset, null);
        }

        @Override
        public void fillForTraining(int index, float[] target, int offset, Random random) {
            if (index == failing) {
                throw new IllegalArgumentException("image " + index + " cannot be read");
            }
            threadOf.put(index, Thread.currentThread().getName());
            target[offset] = index;
        }
    }
}
