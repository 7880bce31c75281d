package io.stagetune.trainer.worker;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.quarkus.runtime.Startup;
import io.stagetune.common.runtime.NativeAllocator;
import io.stagetune.trainer.config.TrainerConfig;
import io.stagetune.trainer.training.TrainingDevices;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * The devices this worker trains on ({@code trainer.worker.devices}), resolved when the service starts, so a
 * device that is not there stops the start with the reason instead of failing every command later.
 */
@Startup
@ApplicationScoped
public class WorkerDevices {

    private static final Logger LOG = Logger.getLogger(WorkerDevices.class);

    private final List<Device> devices;

    public WorkerDevices(TrainerConfig config) {
        String spec = config.worker().devices();
        try {
            devices = TrainingDevices.resolve(spec, Engine.getEngine("PyTorch"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("trainer.worker.devices: " + e.getMessage(), e);
        }
        String allocator = NativeAllocator.inThisProcess();
        LOG.infof("stages train on %s%s, native allocator %s", devices, devices.size() > 1 ? " (data-parallel)" : "",
                allocator);
        if (allocator.equals("system") && devices.stream().anyMatch(device -> !device.isGpu())) {
            LOG.warn("training on the CPU with the system's allocator: preload tcmalloc for up to twice the images/s "
                    + "(LD_PRELOAD=<path of libtcmalloc_minimal.so.4>; the trainer images and ./pipeline do it)");
        }
    }

    public List<Device> devices() {
        return devices;
    }
}
