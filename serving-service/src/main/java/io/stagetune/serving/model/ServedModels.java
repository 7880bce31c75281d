package io.stagetune.serving.model;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The version each model serves now. A swap is one atomic reference change: every request acquires either the
 * old version or the new one, never neither, and the old one is closed when its last request releases it.
 */
@ApplicationScoped
public class ServedModels {

    private final ConcurrentMap<String, AtomicReference<ServedModel>> models = new ConcurrentHashMap<>();

    /** A reference to the model's current version for one request, or empty when none is loaded yet. */
    public Optional<Lease> acquire(String model) {
        AtomicReference<ServedModel> holder = holder(model);
        while (true) {
            ServedModel current = holder.get();
            if (current == null) {
                return Optional.empty();
            }
            if (current.tryAcquire()) {
                return Optional.of(new Lease(current));
            }
            // Swapped out and drained between the read and the acquire: the holder has the new one.
        }
    }

    public Optional<ServedModel> current(String model) {
        return Optional.ofNullable(holder(model).get());
    }

    /** Serves {@code next} from now on; the previous version closes once its requests have finished. */
    public void swap(ServedModel next) {
        ServedModel previous = holder(next.model()).getAndSet(next);
        if (previous != null) {
            previous.release();
        }
    }

    /** Stops serving every model (shutdown). */
    public void closeAll() {
        for (AtomicReference<ServedModel> holder : models.values()) {
            ServedModel previous = holder.getAndSet(null);
            if (previous != null) {
                previous.release();
            }
        }
    }

    private AtomicReference<ServedModel> holder(String model) {
        return models.computeIfAbsent(model, name -> new AtomicReference<>());
    }

    /** One request's hold on a version. */
    public static final class Lease implements AutoCloseable {

        private final ServedModel model;
        private boolean released;

        private Lease(ServedModel model) {
            this.model = model;
        }

        public ServedModel model() {
            return model;
        }

        @Override
        public void close() {
            if (!released) {
                released = true;
                model.release();
            }
        }
    }
}
