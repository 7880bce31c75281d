package io.stagetune.common.runtime;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParallelTasksTest {

    @Test
    void runsEveryIndexOnce() {
        AtomicIntegerArray runs = new AtomicIntegerArray(1000);
        ParallelTasks.forEach(runs.length(), runs::incrementAndGet);
        for (int i = 0; i < runs.length(); i++) {
            assertThat(runs.get(i)).as("index %d", i).isEqualTo(1);
        }
    }

    @Test
    void throwsTheTasksOwnFailure() {
        IllegalArgumentException broken = new IllegalArgumentException("image 7 is broken");
        assertThatThrownBy(() -> ParallelTasks.forEach(100, i -> {
            if (i == 7) {
                throw broken;
            }
        })).isSameAs(broken);
    }
}
