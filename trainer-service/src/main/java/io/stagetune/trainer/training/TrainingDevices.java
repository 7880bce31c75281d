package io.stagetune.trainer.training;

import ai.djl.Device;
import ai.djl.engine.Engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Parses where stages train: {@code auto}, or a comma-separated list of device names ({@code gpu0,gpu1}, {@code cpu}). */
public final class TrainingDevices {

    public static final String AUTO = "auto";

    private TrainingDevices() {
    }

    /**
     * The devices {@code spec} names on {@code engine}: {@code auto} (or blank) is every GPU the engine sees, or the
     * CPU when it sees none. A name may repeat (two replicas on one device exercise data-parallel training
     * without GPUs; they bring no speed).
     *
     * @throws IllegalArgumentException naming the first device that is malformed or not there
     */
    public static List<Device> resolve(String spec, Engine engine) {
        if (spec == null || spec.isBlank() || spec.trim().equalsIgnoreCase(AUTO)) {
            return Arrays.asList(engine.getDevices());
        }
        int gpus = engine.getGpuCount();
        List<Device> devices = new ArrayList<>();
        for (String name : spec.split(",")) {
            String trimmed = name.trim().toLowerCase(Locale.ROOT);
            Device device;
            try {
                device = Device.fromName(trimmed, engine);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("device '" + name.trim() + "' in '" + spec
                        + "' is not a device name (auto, cpu, gpu0, gpu1, ...)", e);
            }
            if (device.isGpu() && device.getDeviceId() >= gpus) {
                throw new IllegalArgumentException("device '" + trimmed + "' in '" + spec + "' is not there: "
                        + engine.getEngineName() + " sees " + gpus + " GPU" + (gpus == 1 ? "" : "s"));
            }
            if (!device.isGpu() && !device.equals(Device.cpu())) {
                throw new IllegalArgumentException("device '" + trimmed + "' in '" + spec
                        + "' is neither the CPU nor a GPU");
            }
            devices.add(device);
        }
        return List.copyOf(devices);
    }
}
