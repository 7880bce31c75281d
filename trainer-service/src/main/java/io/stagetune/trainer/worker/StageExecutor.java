package io.stagetune.trainer.worker;

import io.stagetune.common.checkpoint.CheckpointManifest;
import io.stagetune.common.dataset.DatasetManifests;
import io.stagetune.common.dataset.DatasetVersion;
import io.stagetune.common.dataset.ImageCache;
import io.stagetune.common.dataset.ManifestEntry;
import io.stagetune.common.events.Split;
import io.stagetune.common.events.StageCommand;
import io.stagetune.common.image.Preprocessing;
import io.stagetune.common.image.Preprocessor;
import io.stagetune.common.registry.LeaseState;
import io.stagetune.common.storage.CacheBudget;
import io.stagetune.common.storage.ObjectStore;
import io.stagetune.trainer.config.TrainerConfig;
import io.stagetune.trainer.lease.LeaseLostException;
import io.stagetune.trainer.lease.StageLease;
import io.stagetune.trainer.training.EpochListener;
import io.stagetune.trainer.training.EpochReport;
import io.stagetune.trainer.training.FeatureStore;
import io.stagetune.trainer.training.StageRequest;
import io.stagetune.trainer.training.StageResult;
import io.stagetune.trainer.training.StageTrainer;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Carries out one stage command under its lease: fetch the dataset version's images into the local cache, load the
 * starting weights (the base backbone, a warm start's production version, or the parent checkpoint), resume from the
 * stage's last recorded epoch checkpoint if an earlier holder left one, train, and make the result the stage's
 * checkpoint. Every epoch checkpoint
 * and the result are written under this holder's attempt ({@link CheckpointStore}) and count only once the lease
 * accepts them: a worker whose lease was taken over gets {@link io.stagetune.trainer.lease.LeaseLostException}
 * instead, deletes what it wrote that nobody accepted, and stops. A stage whose checkpoint is already complete is not
 * trained again. When the worker is stopping, the stage stops after the next recorded epoch and releases its lease
 * ({@link StageStoppedException}). After a stage trains, the local cache is trimmed to its budget
 * ({@code trainer.worker.cache-max-size}).
 */
@ApplicationScoped
public class StageExecutor {

    private static final Logger LOG = Logger.getLogger(StageExecutor.class);

    private final CheckpointStore checkpoints;
    private final DatasetManifests manifests;
    private final ImageCache cache;
    private final Path workRoot;
    private final WorkerDevices devices;
    private final FeatureStore features;
    private final Path decoded;
    private final CacheBudget budget;
    private final int preprocessingThreads;
    private final WorkerShutdown shutdown;

    public StageExecutor(CheckpointStore checkpoints, DatasetManifests manifests, ObjectStore store,
                         TrainerConfig config, WorkerDevices devices, TrainingMetrics metrics,
                         WorkerShutdown shutdown) {
        this.checkpoints = checkpoints;
        this.shutdown = shutdown;
        this.devices = devices;
        this.manifests = manifests;
        Path root = Path.of(config.worker().cacheDir());
        this.cache = new ImageCache(store, root.resolve("images"), config.worker().downloadParallelism());
        this.workRoot = root.resolve("work");
        this.preprocessingThreads = config.worker().preprocessingThreads();
        this.features = new FeatureStore(root.resolve("features"));
        this.decoded = root.resolve("decoded");
        this.budget = new CacheBudget(List.of(root.resolve("images"), decoded, root.resolve("features")),
                config.worker().cacheMaxSize().asLongValue());
        metrics.cache(budget);
        budget.trimAfterTask();
    }

    /** The outcome of a command: the checkpoint and whether this call trained it. */
    public record Outcome(CheckpointManifest checkpoint, String uri, boolean trained) {
    }

    /** Told of every epoch this call trains (after its epoch checkpoint is durable). */
    @FunctionalInterface
    public interface EpochObserver {
        void epochCompleted(StageCommand command, EpochReport report, int maxEpochs);
    }

    public Outcome execute(StageCommand command, StageLease lease, EpochObserver observer) throws IOException {
        String uri = checkpoints.location(command).toString();
        if (lease.state() == LeaseState.COMPLETED) {
            // An earlier holder had its attempt accepted and stopped before it was published: finish its promotion.
            String attempt = lease.attempt().orElseThrow(() -> new IllegalStateException("run " + command.runId()
                    + " stage " + command.stage() + " is completed without an attempt"));
            LOG.infof("run %s stage %s was completed by an earlier holder: publishing %s", command.runId(),
                    command.stage(), attempt);
            return new Outcome(checkpoints.promote(command, attempt), uri, false);
        }
        var completed = checkpoints.completed(command);
        if (completed.isPresent()) {
            LOG.infof("run %s stage %s is already complete: republishing %s", command.runId(), command.stage(), uri);
            lease.complete(uri);
            return new Outcome(completed.get(), uri, false);
        }
        // A worker that died mid-stage left its work folder; what resumes comes from the store's epoch checkpoint.
        Path work = workRoot.resolve(command.runId()).resolve(command.stage().pathName());
        deleteRecursively(work);
        Files.createDirectories(work);
        try {
            return train(command, lease, uri, work, observer);
        } finally {
            deleteRecursively(work);
            budget.trimAfterTask();
        }
    }

    private Outcome train(StageCommand command, StageLease lease, String uri, Path work, EpochObserver observer)
            throws IOException {
        StageSettings settings = StageSettings.of(command.stage(), command.hyperparameters());
        Path start = Files.createDirectories(work.resolve("start"));
        List<String> labels;
        Preprocessing preprocessing;
        Path backbone = start.resolve(CheckpointManifest.BACKBONE_FILE);
        Path head = null;
        DatasetVersion version = manifests.version(command.datasetId(), command.datasetVersion())
                .orElseThrow(() -> new IllegalArgumentException("dataset " + command.datasetId() + " has no version "
                        + command.datasetVersion()));
        if (command.parentCheckpoint() == null && command.warmStart() != null) {
            // A warm start: production's backbone and head; the head's rows follow this dataset version's labels.
            CheckpointManifest production = checkpoints.download(command.warmStart().checkpoint(), start);
            labels = version.labels();
            preprocessing = production.preprocessing();
            head = start.resolve(CheckpointManifest.HEAD_FILE);
            LOG.infof("run %s stage %s starts from production version %d (labels %s, now %s)", command.runId(),
                    command.stage(), command.warmStart().version(), production.labels(), labels);
        } else if (command.parentCheckpoint() == null) {
            checkpoints.downloadObject(command.baseBackbone(), backbone);
            labels = version.labels();
            preprocessing = settings.preprocessing();
        } else {
            CheckpointManifest parent = checkpoints.download(command.parentCheckpoint(), start);
            labels = parent.labels();
            preprocessing = parent.preprocessing();
            head = start.resolve(CheckpointManifest.HEAD_FILE);
        }
        Splits splits = splits(command, labels, preprocessing);
        LOG.infof("run %s stage %s: %d training and %d validation images (%d MB of pixels, shorter side at most %d), "
                        + "%d decoded now, the others by an earlier stage or run", command.runId(), command.stage(),
                splits.training().size(), splits.validation().size(),
                (splits.training().bytes() + splits.validation().bytes()) / 1_000_000,
                DecodedImages.presize(preprocessing), splits.training().decoded() + splits.validation().decoded());
        StageRequest request = new StageRequest(command.stage(), backbone, head, labels, settings.hyperparameters(),
                splits.training(), splits.validation(), null, devices.devices(), features, preprocessingThreads);
        return train(command, lease, uri, work, observer, request, labels, preprocessing);
    }

    private Outcome train(StageCommand command, StageLease lease, String uri, Path work, EpochObserver observer,
                          StageRequest request, List<String> labels, Preprocessing preprocessing) throws IOException {
        Path epochState = work.resolve("epoch");
        if (lease.epochCheckpoint().isPresent()) {
            LOG.infof("run %s stage %s resumes from its last epoch checkpoint %s", command.runId(), command.stage(),
                    lease.epochCheckpoint().get());
            request = request.resumingFrom(checkpoints.restoreEpoch(lease.epochCheckpoint().get(), epochState));
        }
        int maxEpochs = request.hyperparameters().maxEpochs();
        EpochListener listener = (report, snapshot) -> {
            snapshot.saveTo(epochState);
            recordEpoch(command, lease, report.epoch(), epochState);
            observer.epochCompleted(command, report, maxEpochs);
            if (shutdown.stopping() && !snapshot.progress().finished()) {
                lease.release();
                throw new StageStoppedException("run " + command.runId() + " stage " + command.stage()
                        + " stopped after epoch " + report.epoch() + " for a shutdown; its lease is released");
            }
        };
        long hits = features.hits();
        long misses = features.misses();
        StageResult result = new StageTrainer().train(request, listener);
        if (features.hits() + features.misses() > hits + misses) {
            LOG.infof("run %s stage %s: backbone features of %d images reused, %d computed", command.runId(),
                    command.stage(), features.hits() - hits, features.misses() - misses);
        }
        Path output = work.resolve("output");
        result.writeTo(output);
        CheckpointManifest manifest = new CheckpointManifest(CheckpointManifest.FORMAT_VERSION, command.model(),
                command.runId(), command.stage(), command.stageIndex(), command.plan(), command.datasetId(),
                command.datasetVersion(), labels, result.progress().bestEpoch(), result.progress().epoch(),
                result.progress().bestValAccuracy(), preprocessing, command.startCheckpoint(),
                command.baseBackbone(), command.hyperparameters(), Instant.now(), command.warmStart());
        String attempt = checkpoints.saveAttempt(command, lease.token(), output, manifest);
        try {
            lease.complete(attempt);
        } catch (LeaseLostException e) {
            checkpoints.deleteAttemptFiles(attempt);
            throw e;
        }
        return new Outcome(checkpoints.promote(command, attempt), uri, true);
    }

    /** Uploads the epoch checkpoint and records it in the lease; one the lease refuses is deleted again. */
    private void recordEpoch(StageCommand command, StageLease lease, int epoch, Path epochState) {
        if (lease.lost()) {
            throw new LeaseLostException("run " + command.runId() + " stage " + command.stage() + ": lease token "
                    + lease.token() + " was taken over before epoch " + epoch + " was recorded", null);
        }
        String folder = checkpoints.saveEpoch(command, lease.token(), epoch, epochState);
        try {
            lease.recordEpoch(epoch, folder);
        } catch (LeaseLostException e) {
            checkpoints.deleteFolder(folder);
            throw e;
        }
        checkpoints.deleteOtherEpochs(command, lease.token(), epoch);
    }

    /** The stage's training and validation images. */
    private record Splits(DecodedImages training, DecodedImages validation) {
    }

    private Splits splits(StageCommand command, List<String> labels, Preprocessing preprocessing) {
        List<ManifestEntry> entries = manifests.entries(command.datasetId(), command.datasetVersion());
        Map<String, Integer> labelIndex = new HashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            labelIndex.put(labels.get(i), i);
        }
        Preprocessor preprocessor = new Preprocessor(preprocessing);
        List<ManifestEntry> trainEntries = select(entries, Split.TRAIN, labelIndex);
        List<ManifestEntry> valEntries = select(entries, Split.VAL, labelIndex);
        if (valEntries.isEmpty()) {
            // A client that named only train and test (ImageFolder train/ and test/) still needs early stopping:
            // hold out a fixed tenth of the training images, chosen by content hash so every stage agrees.
            valEntries = trainEntries.stream().filter(StageExecutor::heldOut).toList();
            trainEntries = trainEntries.stream().filter(entry -> !heldOut(entry)).toList();
        }
        if (trainEntries.isEmpty() || valEntries.isEmpty()) {
            throw new IllegalArgumentException("dataset " + command.datasetId() + " v" + command.datasetVersion()
                    + " has " + trainEntries.size() + " training and " + valEntries.size()
                    + " validation images of the labels " + labels + "; both are needed");
        }
        return new Splits(images(trainEntries, labelIndex, preprocessor),
                images(valEntries, labelIndex, preprocessor));
    }

    /** The split's entries of labels the model knows (a later stage cannot learn labels its parent lacks). */
    private static List<ManifestEntry> select(List<ManifestEntry> entries, Split split,
                                              Map<String, Integer> labelIndex) {
        return entries.stream()
                .filter(entry -> entry.split() == split && labelIndex.containsKey(entry.label()))
                .toList();
    }

    /** One training image in ten, by hash digits that the ingest split assignment does not use. */
    static boolean heldOut(ManifestEntry entry) {
        return Long.parseLong(entry.sha256().substring(8, 16), 16) % 10 == 0;
    }

    /** The split's images: those decoded by an earlier stage or run as they are, the others downloaded first. */
    private DecodedImages images(List<ManifestEntry> selected, Map<String, Integer> labelIndex,
                                 Preprocessor preprocessor) {
        List<String> keys = selected.stream().map(ManifestEntry::sha256).toList();
        Set<String> missing = DecodedImages.missing(keys, preprocessor.preprocessing(), decoded);
        List<ManifestEntry> needed = selected.stream().filter(entry -> missing.contains(entry.sha256())).toList();
        Map<String, Path> originals = new HashMap<>();
        List<Path> fetched = cache.fetch(manifests.bucket(), needed);
        for (int i = 0; i < needed.size(); i++) {
            originals.put(needed.get(i).sha256(), fetched.get(i));
        }
        int[] labels = selected.stream().mapToInt(entry -> labelIndex.get(entry.label())).toArray();
        return DecodedImages.decode(keys.stream().map(originals::get).toList(), labels, keys, preprocessor, decoded);
    }

    private static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + directory, e);
        }
    }
}
