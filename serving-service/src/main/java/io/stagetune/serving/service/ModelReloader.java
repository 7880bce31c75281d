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
import java.util.ArrayList;
import java.util.List;
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
 *
 * <p>A model with a shadow alias ({@link ShadowAliases}) has a second follower for it, the same in every way but
 * that it fills the shadow slot, counts its reloads apart ({@code serving.shadow.reloads}) and treats an absent
 * alias as "no shadow". A version one slot already has loaded is shared with the other, never loaded twice.
 */
@ApplicationScoped
public class ModelReloader {

    private static final Logger LOG = Logger.getLogger(ModelReloader.class);

    private final RegistryClient registry;
    private final ModelLoader loader;
    private final ServedModels served;
    private final ServingMetrics metrics;
    private final ServingConfig config;
    private final ShadowAliases shadows;
    private final List<Follower> followers = new ArrayList<>();

    public ModelReloader(@RestClient RegistryClient registry, ModelLoader loader, ServedModels served,
                         ServingMetrics metrics, ServingConfig config, ShadowAliases shadows) {
        this.registry = registry;
        this.loader = loader;
        this.served = served;
        this.metrics = metrics;
        this.config = config;
        this.shadows = shadows;
    }

    void start(@Observes StartupEvent event) {
        for (String model : config.models()) {
            metrics.servedVersion(model, -1, 0);
            followers.add(new Follower(model, config.alias(), false));
            shadows.of(model).ifPresent(alias -> {
                metrics.shadowVersion(model, -1);
                followers.add(new Follower(model, alias, true));
            });
        }
        followers.forEach(follower -> follower.thread.start());
    }

    void stop(@Observes ShutdownEvent event) {
        followers.forEach(follower -> follower.thread.interrupt());
        for (Follower follower : followers) {
            try {
                follower.thread.join(Duration.ofSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        served.closeAll();
    }

    /** A model event: if it moved the served or the shadow alias of a served model, resolve that alias now. */
    public void aliasMoved(String model, String alias) {
        followers.stream().filter(follower -> follower.model.equals(model) && follower.alias.equals(alias))
                .forEach(Follower::wake);
    }

    /** The event stream was (re)connected: events may have been missed, so resolve every alias now. */
    public void recheckAll() {
        followers.forEach(Follower::wake);
    }

    private final class Follower implements Runnable {

        private final String model;
        private final String alias;
        private final boolean shadow;
        private final Thread thread;
        private final Semaphore wakeUps = new Semaphore(0);
        private boolean absentLogged;

        Follower(String model, String alias, boolean shadow) {
            this.model = model;
            this.alias = alias;
            this.shadow = shadow;
            this.thread = new Thread(this, "follow-" + model + (shadow ? "-" + alias : ""));
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
                                alias, e.getMessage(), pause.toMillis());
                    } catch (LoadFailedException e) {
                        pause = backoff.next();
                        LOG.errorf(e.getCause(), "model %s: version %d (alias %s) failed to load, the old version "
                                        + "keeps serving; trying again in %d ms", model, e.version, alias,
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
                if (shadow) {
                    noShadow();
                }
                return;
            }
            absentLogged = false;
            VersionView version = target.get();
            Optional<ServedModel> current = shadow ? served.currentShadow(model) : served.current(model);
            if (current.isPresent() && current.get().version() == version.version()) {
                return;
            }
            long started = System.nanoTime();
            Optional<ServedModel> shared = served.share(model, version.version());
            ServedModel loaded;
            if (shared.isPresent()) {
                loaded = shared.get();
            } else {
                try {
                    loaded = loader.load(version);
                } catch (Exception | Error e) {
                    reloaded("failed", Duration.ofNanos(System.nanoTime() - started));
                    throw new LoadFailedException(version.version(), e);
                }
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            reloaded("loaded", took);
            if (shadow) {
                served.swapShadow(model, loaded);
                metrics.shadowVersion(model, version.version());
            } else {
                served.swap(loaded);
                metrics.servedVersion(model, version.version(), loaded.maxBatchSize());
            }
            LOG.infof("model %s: %s version %d (alias %s) after %d ms%s; previous %s", model,
                    shadow ? "shadow is" : "serving", version.version(), alias, took.toMillis(),
                    shared.isPresent() ? ", already loaded" : "",
                    current.map(previous -> "version " + previous.version() + " closes when drained").orElse("none"));
        }

        /** The shadow alias does not exist (yet): no shadow runs, which is no error. */
        private void noShadow() {
            if (!absentLogged) {
                absentLogged = true;
                LOG.infof("model %s: alias %s does not exist in the registry, no shadow runs", model, alias);
            }
            if (served.currentShadow(model).isPresent()) {
                served.swapShadow(model, null);
                metrics.shadowVersion(model, -1);
            }
        }

        private void reloaded(String outcome, Duration took) {
            if (shadow) {
                metrics.shadowReload(model, outcome, took);
            } else {
                metrics.reload(model, outcome, took);
            }
        }

        private Optional<VersionView> resolve() {
            try {
                return Optional.of(registry.versionOf(model, alias));
            } catch (WebApplicationException e) {
                if (e.getResponse().getStatus() == 404) {
                    LOG.debugf("model %s has no alias %s yet", model, alias);
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
