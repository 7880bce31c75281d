package io.stagetune.ingest.service;

import io.stagetune.common.events.Split;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SplitAssignerTest {

    @Test
    void sameHashAlwaysGetsTheSameSplitAndRatiosHold() throws Exception {
        SplitAssigner assigner = new SplitAssigner(80, 10);
        Map<Split, Integer> counts = new EnumMap<>(Split.class);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < 20_000; i++) {
            String hash = HexFormat.of().formatHex(sha.digest(("image-" + i).getBytes()));
            Split split = assigner.assign(hash);
            assertThat(new SplitAssigner(80, 10).assign(hash)).isEqualTo(split);
            counts.merge(split, 1, Integer::sum);
        }
        assertThat(counts.get(Split.TRAIN) / 20_000.0).isBetween(0.78, 0.82);
        assertThat(counts.get(Split.VAL) / 20_000.0).isBetween(0.09, 0.11);
        assertThat(counts.get(Split.TEST) / 20_000.0).isBetween(0.09, 0.11);
    }

    @Test
    void refusesImpossibleRatios() {
        assertThatThrownBy(() -> new SplitAssigner(95, 10)).hasMessageContaining("sum to at most 100");
    }
}
