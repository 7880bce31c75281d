package io.stagetune.common.image;

import com.fasterxml.jackson.databind.JsonNode;
import io.stagetune.common.events.EventJson;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PreprocessingTest {

    @Test
    void imagenetIsTheClassicRecipe() {
        Preprocessing imagenet = Preprocessing.imagenet();

        assertThat(imagenet.resize()).isEqualTo(256);
        assertThat(imagenet.crop()).isEqualTo(224);
        assertThat(imagenet.mean()).containsExactly(0.485f, 0.456f, 0.406f);
        assertThat(imagenet.std()).containsExactly(0.229f, 0.224f, 0.225f);
        assertThat(imagenet.minCropScale()).isEqualTo(0.08);
        assertThat(imagenet.outputLength()).isEqualTo(3 * 224 * 224);
    }

    @Test
    void smallImagesKeepImagenetNormalisation() {
        Preprocessing small = Preprocessing.imagenet(36, 32).withMinCropScale(0.5);

        assertThat(small).isEqualTo(new Preprocessing(36, 32, Preprocessing.IMAGENET_MEAN, Preprocessing.IMAGENET_STD, 0.5));
        assertThat(small.outputLength()).isEqualTo(3 * 32 * 32);
    }

    @Test
    void jsonRoundTripsWithTheEventMapper() throws Exception {
        Preprocessing preprocessing = Preprocessing.imagenet(36, 32).withMinCropScale(0.5);

        String json = EventJson.mapper().writeValueAsString(preprocessing);
        JsonNode tree = EventJson.mapper().readTree(json);

        assertThat(EventJson.mapper().readValue(json, Preprocessing.class)).isEqualTo(preprocessing);
        assertThat(EventJson.readDocument(json.getBytes(), Preprocessing.class)).isEqualTo(preprocessing);
        assertThat(tree.get("resize").asInt()).isEqualTo(36);
        assertThat(tree.get("mean").toString()).isEqualTo("[0.485,0.456,0.406]");
        assertThat(tree.get("std").toString()).isEqualTo("[0.229,0.224,0.225]");
        assertThat(tree.get("minCropScale").asDouble()).isEqualTo(0.5);
        assertThat(tree.fieldNames()).toIterable().containsExactlyInAnyOrder("resize", "crop", "mean", "std", "minCropScale");
    }

    @Test
    void invalidJsonIsRejectedWithTheReason() {
        byte[] json = "{\"resize\":32,\"crop\":36,\"mean\":[0,0,0],\"std\":[1,1,1],\"minCropScale\":0.5}".getBytes();

        assertThatThrownBy(() -> EventJson.readDocument(json, Preprocessing.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("crop 36 must not exceed resize 32");
    }

    @Test
    void validatesSizes() {
        assertThatThrownBy(() -> Preprocessing.imagenet(0, 0)).hasMessageContaining("must be positive");
        assertThatThrownBy(() -> Preprocessing.imagenet(32, -1)).hasMessageContaining("must be positive");
        assertThatThrownBy(() -> Preprocessing.imagenet(224, 256)).hasMessageContaining("must not exceed resize");
        assertThat(Preprocessing.imagenet(28, 28).crop()).isEqualTo(28);
    }

    @Test
    void validatesMeanStdAndScale() {
        List<Float> three = List.of(0.5f, 0.5f, 0.5f);
        assertThatThrownBy(() -> new Preprocessing(32, 32, List.of(0.5f), three, 0.08))
                .hasMessageContaining("mean needs 3 values");
        assertThatThrownBy(() -> new Preprocessing(32, 32, three, List.of(1f, 1f, 1f, 1f), 0.08))
                .hasMessageContaining("std needs 3 values");
        assertThatThrownBy(() -> new Preprocessing(32, 32, three, List.of(1f, 0f, 1f), 0.08))
                .hasMessageContaining("std values must be > 0");
        assertThatThrownBy(() -> new Preprocessing(32, 32, List.of(Float.NaN, 0f, 0f), three, 0.08))
                .hasMessageContaining("mean values must be finite");
        assertThatThrownBy(() -> new Preprocessing(32, 32, null, three, 0.08)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Preprocessing.imagenet().withMinCropScale(0))
                .hasMessageContaining("minCropScale must be in (0, 1]");
        assertThatThrownBy(() -> Preprocessing.imagenet().withMinCropScale(1.5))
                .hasMessageContaining("minCropScale must be in (0, 1]");
    }
}
