package io.stagetune.serving.model;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The version each model serves now, and the shadow version run beside it (if any). A swap is one atomic reference
 * change: every request acquires either the old version or the new one, never neither, and the old one is closed
 * when its last request releases it. The served and the shadow slot may hold the same loaded version (each with
 * its own reference), so a version is never loaded twice.
 */
@ApplicationScoped
public class ServedModels {

    private final ConcurrentMap<String, AtomicReference<ServedModel>> models = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, AtomicReference<ServedModel>> shadows = new ConcurrentHashMap<>();

    /** A reference to the model's current version for one request, or empty when none is loaded yet. */
    public Optional<Lease> acquire(String model) {
        return acquire(holder(models, model));
    }

    /** A reference to the model's shadow version, or empty when it has none. */
    public Optional<Lease> acquireShadow(String model) {
        return acquire(holder(shadows, model));
    }

    public Optional<ServedModel> current(String model) {
        return Optional.ofNullable(holder(models, model).get());
    }

    public Optional<ServedModel> currentShadow(String model) {
        return Optional.ofNullable(holder(shadows, model).get());
    }

    /** Serves {@code next} from now on; the previous version closes once its requests have finished. */
    public void swap(ServedModel next) {
        release(holder(models, next.model()).getAndSet(next));
    }

    /**
     * Runs {@code next} as the model's shadow from now on, or no shadow when null; the previous shadow closes once
     * its requests have finished (unless the served slot holds it too).
     */
    public void swapShadow(String model, ServedModel next) {
        release(holder(shadows, model).getAndSet(next));
    }

    /**
     * A new reference to this version of the model if either slot has it loaded, so that the other slot can hold
     * it without loading it again; empty when neither has it (or it closed meanwhile).
     */
    public Optional<ServedModel> share(String model, long version) {
        for (AtomicReference<ServedModel> holder : List.of(holder(models, model), holder(shadows, model))) {
            ServedModel loaded = holder.get();
            if (loaded != null && loaded.version() == version && loaded.tryAcquire()) {
                return Optional.of(loaded);
            }
        }
        return Optional.empty();
    }

    /** Stops serving every model (shutdown). */
    public void closeAll() {
        for (ConcurrentMap<String, AtomicReference<ServedModel>> slots : List.of(models, shadows)) {
            for (AtomicReference<ServedModel> holder : slots.values()) {
                release(holder.getAndSet(null));
            }
        }
    }

    private static Optional<Lease> acquire(AtomicReference<ServedModel> holder) {
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

    private static void release(ServedModel previous) {
        if (previous != null) {
            previous.release();
        }
    }

    private static AtomicReference<ServedModel> holder(ConcurrentMap<String, AtomicReference<ServedModel>> slots,
                                                       String model) {
        return slots.computeIfAbsent(model, name -> new AtomicReference<>());
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
