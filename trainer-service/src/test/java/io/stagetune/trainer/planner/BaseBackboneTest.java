package io.stagetune.trainer.planner;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BaseBackboneTest {

    @Test
    void anObjectUriIsUsedAsItIs() {
        BaseBackbone base = BaseBackbone.parse("fashion", "s3://checkpoints/_backbones/resnet18.pt");
        assertThat(base.isReference()).isFalse();
        assertThat(base.uri()).isEqualTo("s3://checkpoints/_backbones/resnet18.pt");
    }

    @Test
    void aRegistryReferenceNamesModelAndAlias() {
        BaseBackbone base = BaseBackbone.parse("fashion", "models:/fashion-base@production");
        assertThat(base.isReference()).isTrue();
        assertThat(base.model()).isEqualTo("fashion-base");
        assertThat(base.alias()).isEqualTo("production");
    }

    @Test
    void anythingElseIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> BaseBackbone.parse("fashion", "models:/fashion-base"))
                .hasMessageContaining("trainer.models.fashion.base-backbone=models:/fashion-base")
                .hasMessageContaining("models:/<model>@<alias>");
        assertThatThrownBy(() -> BaseBackbone.parse("fashion", "models:/fashion-base@"))
                .hasMessageContaining("is not a registry reference");
        assertThatThrownBy(() -> BaseBackbone.parse("fashion", "https://example.com/resnet.pt"))
                .hasMessageContaining("trainer.models.fashion.base-backbone=https://example.com/resnet.pt")
                .hasMessageContaining("neither an object URI");
        assertThatThrownBy(() -> BaseBackbone.parse("fashion", " "))
                .hasMessageContaining("trainer.models.fashion.base-backbone is required");
    }
}
