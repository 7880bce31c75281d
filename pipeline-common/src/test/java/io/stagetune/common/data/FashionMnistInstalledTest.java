package io.stagetune.common.data;

import io.stagetune.common.Fixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Against the real data set; skipped where the Debian package dataset-fashion-mnist is not installed. */
class FashionMnistInstalledTest {

    private static FashionMnist train;
    private static FashionMnist test;

    @BeforeAll
    static void load() throws IOException {
        if (FashionMnist.isInstalled()) {
            train = FashionMnist.load(FashionMnist.Subset.TRAIN);
            test = FashionMnist.load(FashionMnist.Subset.TEST);
        }
    }

    /** Per test rather than in {@link #load}, so each test is reported as skipped. */
    @BeforeEach
    void requireTheDataSet() {
        assumeTrue(train != null, "Fashion-MNIST is not installed in " + FashionMnist.defaultDirectory());
    }

    private static int[] countPerClass(FashionMnist subset) {
        int[] counts = new int[FashionMnist.CLASS_NAMES.size()];
        IntStream.range(0, subset.size()).forEach(i -> counts[subset.label(i)]++);
        return counts;
    }

    /** Where scripts/make-fashion-mnist-sample.py wrote this example. */
    private static Path sampleFile(FashionMnist.Example example) {
        String split = example.subset() == FashionMnist.Subset.TRAIN ? "train" : "test";
        return Fixtures.fashionMnistSample().resolve(split).resolve(example.className())
                .resolve(String.format("%s-%05d.png", example.subset().filePrefix(), example.index()));
    }

    @Test
    void hasTheOfficialSizesAndBalancedClasses() {
        assertThat(train.size()).isEqualTo(60_000);
        assertThat(test.size()).isEqualTo(10_000);
        assertThat(countPerClass(train)).containsOnly(6_000);
        assertThat(countPerClass(test)).containsOnly(1_000);
    }

    @Test
    void theFirstTrainExampleIsAnAnkleBoot() {
        FashionMnist.Example first = train.example(0);
        assertThat(first.className()).isEqualTo("ankle-boot");
        assertThat(sampleFile(first)).isEqualTo(Fixtures.firstTrainImage());
    }

    @Test
    void javaAndThePythonSampleScriptAgreeOnThePixels() throws IOException {
        for (FashionMnist.Example example : new FashionMnist.Example[] {train.example(0), test.example(0)}) {
            Path file = sampleFile(example);
            assertThat(file).exists();

            byte[] fromJava = FashionMnistTest.decodeGray(example.toPng());
            byte[] fromPython = FashionMnistTest.decodeGray(Files.readAllBytes(file));

            assertThat(fromJava).isEqualTo(fromPython).isEqualTo(example.pixels());
        }
    }
}
