package io.stagetune.serving.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.stagetune.common.registry.VersionView;
import io.stagetune.common.runtime.Backoff;
import io.stagetune.serving.client.RegistryClient;
import io.stagetune.serving.config.ServingConfig;
import io.stagetune.serving.model.ServedModel;
import io.stagetune.serving.model.ServedModels;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Keeps each served model on the version its alias points at in the registry. One follower thread per model
 * resolves the alias at start, whenever a model event or a (re)assignment of the {@code model-events} partitions
 * wakes it, and every {@code serving.reload.recheck-every} (which catches up events missed while the broker was
 * down). The registry is the truth: an event only says "look now", so events out of order or replayed cannot
 * swap in a stale version. A version that differs from the served one is loaded, warmed up and checked
 * ({@link ModelLoader}), then swapped in. When that fails, the old version keeps serving; the failure is logged
 * and counted ({@code serving.reloads{outcome="failed"}}) and retried with growing pauses ({@link Backoff}), or
 * at once when the alias moves again.
 */
@ApplicationScoped
public class ModelReloader {

    private static final Logger LOG = Logger.getLogger(ModelReloader.class);

    private final RegistryClient registry;
    private final ModelLoader loader;
    private final ServedModels served;
    private final ServingMetrics metrics;
    private final ServingConfig config;
    private final Map<String, Follower> followers = new LinkedHashMap<>();

    public ModelReloader(@RestClient RegistryClient registry, ModelLoader loader, ServedModels served,
                         ServingMetrics metrics, ServingConfig config) {
        this.registry = registry;
        this.loader = loader;
        this.served = served;
        this.metrics = metrics;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        for (String model : config.models()) {
            metrics.servedVersion(model, -1);
            Follower follower = new Follower(model);
            followers.put(model, follower);
            follower.thread.start();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        followers.values().forEach(follower -> follower.thread.interrupt());
        for (Follower follower : followers.values()) {
            try {
                follower.thread.join(Duration.ofSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        served.closeAll();
    }

    /** A model event: if it moved the served alias of a served model, resolve that alias now. */
    public void aliasMoved(String model, String alias) {
        Follower follower = followers.get(model);
        if (follower != null && config.alias().equals(alias)) {
            follower.wake();
        }
    }

    /** The event stream was (re)connected: events may have been missed, so resolve every alias now. */
    public void recheckAll() {
        followers.values().forEach(Follower::wake);
    }

    private final class Follower implements Runnable {

        private final String model;
        private final Thread thread;
        private final Semaphore wakeUps = new Semaphore(0);

        Follower(String model) {
            this.model = model;
            this.thread = new Thread(this, "follow-" + model);
            this.thread.setDaemon(true);
        }

        void wake() {
            if (wakeUps.availablePermits() == 0) {
                wakeUps.release();
            }
        }

        @Override
        public void run() {
            Backoff backoff = new Backoff(config.reload().retryBackoff(), config.reload().maxRetryBackoff());
            Duration pause;
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        follow();
                        backoff.reset();
                        pause = config.reload().recheckEvery();
                    } catch (RuntimeException e) {
                        pause = backoff.next();
                        LOG.warnf("model %s: alias %s not followed (%s); trying again in %d ms", model,
                                config.alias(), e.getMessage(), pause.toMillis());
                    } catch (LoadFailedException e) {
                        pause = backoff.next();
                        LOG.errorf(e.getCause(), "model %s: version %d (alias %s) failed to load, the old version "
                                        + "keeps serving; trying again in %d ms", model, e.version, config.alias(),
                                pause.toMillis());
                    }
                    wakeUps.tryAcquire(pause.toMillis(), TimeUnit.MILLISECONDS);
                    wakeUps.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void follow() throws LoadFailedException {
            Optional<VersionView> target = resolve();
            if (target.isEmpty()) {
                return;
            }
            VersionView version = target.get();
            Optional<ServedModel> current = served.current(model);
            if (current.isPresent() && current.get().version() == version.version()) {
                return;
            }
            long started = System.nanoTime();
            ServedModel loaded;
            try {
                loaded = loader.load(version);
            } catch (Exception | Error e) {
                metrics.reload(model, "failed", Duration.ofNanos(System.nanoTime() - started));
                throw new LoadFailedException(version.version(), e);
            }
            served.swap(loaded);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            metrics.reload(model, "loaded", took);
            metrics.servedVersion(model, version.version());
            LOG.infof("model %s: serving version %d (alias %s) after %d ms; previous %s", model, version.version(),
                    config.alias(), took.toMillis(),
                    current.map(previous -> "version " + previous.version() + " closes when drained").orElse("none"));
        }

        private Optional<VersionView> resolve() {
            try {
                return Optional.of(registry.versionOf(model, config.alias()));
            } catch (WebApplicationException e) {
                if (e.getResponse().getStatus() == 404) {
                    LOG.debugf("model %s has no alias %s yet", model, config.alias());
                    return Optional.empty();
                }
                throw e;
            }
        }
    }

    private static final class LoadFailedException extends Exception {
        private final long version;

        LoadFailedException(long version, Throwable cause) {
            super(cause.getMessage(), cause);
            this.version = version;
        }
    }
}
