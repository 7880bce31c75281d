package io.stagetune.trainer.training;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainingDevicesTest {

    private final Engine engine = Engine.getEngine("PyTorch");

    @Test
    void autoIsEveryGpuOrElseTheCpu() {
        int gpus = engine.getGpuCount();
        List<Device> expected = gpus == 0 ? List.of(Device.cpu())
                : IntStream.range(0, gpus).mapToObj(Device::gpu).toList();

        assertThat(TrainingDevices.resolve("auto", engine)).isEqualTo(expected);
        assertThat(TrainingDevices.resolve(" ", engine)).isEqualTo(expected);
    }

    @Test
    void aListNamesTheDevicesInOrder() {
        assertThat(TrainingDevices.resolve("cpu", engine)).containsExactly(Device.cpu());
        assertThat(TrainingDevices.resolve("CPU, cpu", engine)).containsExactly(Device.cpu(), Device.cpu());
    }

    @Test
    void aDeviceThatIsNotThereIsRefusedByName() {
        int gpus = engine.getGpuCount();
        assertThatThrownBy(() -> TrainingDevices.resolve("cpu,gpu" + gpus, engine))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'gpu" + gpus + "'")
                .hasMessageContaining("sees " + gpus + " GPU");
        assertThatThrownBy(() -> TrainingDevices.resolve("tpu0", engine))
                .hasMessageContaining("'tpu0'").hasMessageContaining("neither the CPU nor a GPU");
        assertThatThrownBy(() -> TrainingDevices.resolve("gpu-1x", engine))
                .hasMessageContaining("'gpu-1x'").hasMessageContaining("not a device name");
    }
}
