package io.stagetune.trainer.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.stagetune.common.events.Stage;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code trainer.*}. Which models train on which dataset, from which base backbone, with which plan and
 * hyperparameters, is configuration per model (one dataset can feed several models):
 * <pre>
 * trainer.models.fashion.dataset=shop
 * trainer.models.fashion.base-backbone=s3://models/resnet18-embedding.pt
 * trainer.models.fashion.plan=HEAD,LAYER4,FULL
 * trainer.models.fashion.hyperparameters.max-epochs=10
 * trainer.models.fashion.from=production
 * trainer.models.fashion.warm-plan=LAYER4,FULL
 * </pre>
 * With {@code trainer.registry.url} set, the model registry owns the runs and a base backbone may be a registry
 * reference, {@code models:/<model>@<alias>}.
 */
@ConfigMapping(prefix = "trainer")
public interface TrainerConfig {

    Map<String, ModelConfig> models();

    Planner planner();

    Worker worker();

    Registry registry();

    interface ModelConfig {
        /** The dataset whose new versions retrain this model. */
        String dataset();

        /**
         * The TorchScript embedding backbone the runs start from: an object URI ({@code s3://bucket/key}), or a
         * registry reference {@code models:/<model>@<alias>} resolved when a run is planned to the backbone of the
         * checkpoint the alias points at then.
         */
        String baseBackbone();

        @WithDefault("HEAD,LAYER4,FULL")
        List<Stage> plan();

        /**
         * Where a run starts: {@code base} (the base backbone and a fresh head) or {@code production} (the model's
         * production version: its backbone, and its head with rows matched to the dataset's labels), falling back
         * to the base while the model has no production version. Base by default: a run then depends on its
         * dataset version alone, and one poor production version cannot carry into the next.
         */
        @WithDefault("base")
        StartFrom from();

        /** The plan of a run that starts from production; default: {@link #plan()}. */
        Optional<List<Stage>> warmPlan();

        /**
         * Multiplies every stage's learning rates (head and backbone) in a run that starts from production, which
         * needs to adjust trained weights rather than learn from the base (a hyperparameter
         * {@code learningRateFactor} set for the model wins).
         */
        @WithDefault("0.3")
        float warmLearningRateFactor();

        /** Overrides of the trainer's defaults, passed along in every stage command. */
        Map<String, String> hyperparameters();
    }

    /** Where a model's runs start ({@code trainer.models.<model>.from}). */
    enum StartFrom {
        BASE, PRODUCTION
    }

    interface Planner {
        /** A new dataset version starts a run when it adds at least this many training images... */
        @WithDefault("100")
        int minNewImages();

        /** ...or when it brings a label the model has not seen. */
        @WithDefault("true")
        boolean triggerOnNewLabel();

        /** Quiet time after the last dataset version before a run starts, so a burst of uploads yields one run. */
        @WithDefault("30s")
        Duration debounce();
    }

    interface Registry {
        /** The model registry ({@code REGISTRY_URL}); when set it owns the runs, else they are kept in the store. */
        Optional<String> url();

        /** Bearer token of the registry's {@code trainer} role ({@code REGISTRY_TRAINER_TOKEN}). */
        Optional<String> token();

        /** First pause before retrying a registry call that failed for an outage; it doubles up to the max. */
        @WithDefault("1s")
        Duration retryBackoff();

        @WithDefault("60s")
        Duration maxRetryBackoff();
    }

    /** Stage leases: one live worker per stage (see the trainer's TRAINING.md, "Several workers"). */
    interface Lease {
        /**
         * How long a stage's lease lives without renewal; the holder renews it every third of that. A killed
         * worker's stage is taken over this long after its last renewal.
         */
        @WithDefault("60s")
        Duration ttl();

        /**
         * How long a worker that receives a command whose stage another live worker holds waits for the lease
         * before it defers the command (sends it to the end of its partition): the longest such a command holds up
         * the worker's other partitions.
         */
        @WithDefault("30s")
        Duration waitForHolder();

        /** How often the waiting worker checks the lease again. */
        @WithDefault("5s")
        Duration checkEvery();
    }

    interface Worker {
        /**
         * Local folder of the content-addressed image cache, of the decoded images and of HEAD's backbone features
         * (all reused across stages and runs), and of the stages' work folders.
         */
        @WithDefault("${java.io.tmpdir}/stagetune-trainer")
        String cacheDir();

        /**
         * Budget of the image cache, the decoded images and the feature store together ({@code 20G}, {@code 500M};
         * {@code 0} keeps everything). After each stage the files used longest ago are evicted down to 90% of it.
         * Keep it below the volume's size (Kubernetes evicts a pod whose {@code emptyDir} passes its
         * {@code sizeLimit}) less what the stage's work folder and DJL's native libraries take.
         */
        @WithDefault("20G")
        MemorySize cacheMaxSize();

        /** Attempts per command before it goes to the dead-letter topic (storage or broker failures). */
        @WithDefault("3")
        int attempts();

        /** The pause after a failed attempt; each later one is twice as long, up to the maximum. */
        @WithDefault("2s")
        Duration retryBackoff();

        @WithDefault("30s")
        Duration maxRetryBackoff();

        /** Parallel downloads when filling the image cache. */
        @WithDefault("8")
        int downloadParallelism();

        /**
         * Threads that prepare each batch (read the decoded image, augment, normalise). {@code 0} chooses: one when
         * stages train on the CPU (libtorch uses the cores, and preparing a batch is a small part of a step), every
         * core but one when they train on GPUs, which would otherwise wait for the next batch of photos.
         */
        @WithDefault("0")
        int preprocessingThreads();

        /**
         * This worker's name as the owner of stage leases ({@code TRAINER_WORKER_ID}); unique among the workers.
         * Default: the host name (the pod's name on Kubernetes) and the process id.
         */
        Optional<String> id();

        Lease lease();

        /**
         * How long a stopping worker (SIGTERM) waits for the stage in flight to reach its next epoch boundary, write
         * and record that epoch's checkpoint and release the lease. Keep it below the pod's grace period
         * ({@code terminationGracePeriodSeconds}) and above one epoch of the longest stage.
         */
        @WithDefault("9m")
        Duration stopTimeout();

        /**
         * Where stages train: {@code auto} (every GPU the engine sees, else the CPU), or a comma-separated list of
         * devices ({@code gpu0,gpu1}, {@code cpu}). Several devices train each stage data-parallel, one replica
         * per device; the first holds the network that is validated and saved.
         */
        @WithDefault("auto")
        String devices();
    }
}
