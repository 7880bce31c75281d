package io.stagetune.ingest.service;

import io.micrometer.core.instrument.Timer;
import io.stagetune.common.events.Split;
import io.stagetune.common.image.ImageInspector;
import io.stagetune.common.image.RejectedFileException;
import io.stagetune.common.storage.ObjectKeys;
import io.stagetune.common.storage.ObjectStoreException;
import io.stagetune.common.dataset.DatasetVersion;
import io.stagetune.ingest.FileOutcome;
import io.stagetune.common.dataset.ManifestEntry;
import io.stagetune.ingest.UploadResult;
import io.stagetune.ingest.config.IngestConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * Validates, stores and commits uploads. Per file: size, label, split, image checks, then dedupe by content hash
 * and a put of the content-addressed object. Per request: a version is written only after every accepted object
 * is durable, and its events are sent only after the version is; if the request fails as a whole, the objects
 * it stored are removed again, so nothing partial is stored or announced.
 */
@ApplicationScoped
public class UploadService {

    private final DatasetRepository repository;
    private final VersionAnnouncer announcer;
    private final IngestMetrics metrics;
    private final IngestConfig config;
    private final ImageInspector inspector;
    private final ArchiveReader archives;
    private final SplitAssigner splits;
    private final ExecutorService storeExecutor;

    public UploadService(DatasetRepository repository, VersionAnnouncer announcer, IngestMetrics metrics,
                         IngestConfig config) {
        this.repository = repository;
        this.announcer = announcer;
        this.metrics = metrics;
        this.config = config;
        IngestConfig.Limits limits = config.limits();
        this.inspector = new ImageInspector(limits.maxPixels());
        this.archives = new ArchiveReader(limits.maxFileBytes(), limits.maxArchiveEntries(),
                limits.maxArchiveExpandedBytes());
        this.splits = new SplitAssigner(config.split().trainPercent(), config.split().valPercent());
        this.storeExecutor = Executors.newFixedThreadPool(config.storeParallelism(), runnable -> {
            Thread thread = new Thread(runnable, "ingest-store");
            thread.setDaemon(true);
            return thread;
        });
    }

    @PreDestroy
    void stop() {
        storeExecutor.shutdown();
    }

    public UploadResult upload(String datasetId, UploadRequest request) {
        Timer.Sample timing = Timer.start();
        try {
            UploadResult result = ingest(datasetId, request);
            metrics.recorded(result);
            return result;
        } catch (IngestException e) {
            metrics.refused(e.status());
            throw e;
        } finally {
            timing.stop(metrics.uploadTimer());
        }
    }

    /** Creates a version from the staged images, if there are any. */
    public Optional<DatasetVersion> seal(String datasetId) {
        Dataset dataset = existingDataset(datasetId);
        String uploadId = UUID.randomUUID().toString();
        Optional<DatasetVersion> version;
        dataset.lock().lock();
        try {
            if (dataset.stagedCount() == 0) {
                return Optional.empty();
            }
            version = Optional.of(commit(dataset, List.of(), new Batch(dataset, uploadId), uploadId));
        } finally {
            dataset.lock().unlock();
        }
        version.ifPresent(announcer::announceInBackground);
        return version;
    }

    public Dataset existingDataset(String datasetId) {
        requireDatasetId(datasetId);
        Dataset dataset = repository.dataset(datasetId);
        if (dataset.isEmpty()) {
            throw new IngestException(404, "dataset '" + datasetId + "' has no images");
        }
        return dataset;
    }

    private UploadResult ingest(String datasetId, UploadRequest request) {
        requireDatasetId(datasetId);
        checkForm(request);
        Dataset dataset = repository.dataset(datasetId);
        String uploadId = UUID.randomUUID().toString();
        Batch batch = new Batch(dataset, uploadId);
        DatasetVersion version = null;
        dataset.lock().lock();
        try {
            offerImages(request, batch);
            for (UploadRequest.IncomingFile archive : request.archives()) {
                archives.read(archive.path(), archive.name(),
                        (path, bytes, size) -> offerArchiveEntry(archive.name() + "!" + path, path, bytes, size,
                                batch));
            }
            batch.awaitStored();
            if (request.commit() && (!batch.accepted.isEmpty() || dataset.stagedCount() > 0)) {
                version = commit(dataset, batch.accepted, batch, uploadId);
            } else if (!request.commit() && !batch.accepted.isEmpty()) {
                repository.writeStaged(dataset, uploadId, batch.accepted);
            }
        } catch (RuntimeException e) {
            batch.removeStored();
            if (e instanceof ObjectStoreException storeFailure) {
                throw new IngestException(503, "object store unavailable, nothing was stored: "
                        + storeFailure.getMessage());
            }
            throw e;
        } finally {
            dataset.lock().unlock();
        }
        if (version != null) {
            announcer.announceInBackground(version);
        }
        return batch.result(version, request.commit() ? 0 : batch.accepted.size());
    }

    private DatasetVersion commit(Dataset dataset, List<ManifestEntry> added, Batch batch, String uploadId) {
        Map<String, Integer> perLabel = new TreeMap<>();
        Map<Split, Integer> perSplit = new EnumMap<>(Split.class);
        added.forEach(entry -> {
            perLabel.merge(entry.label(), 1, Integer::sum);
            perSplit.merge(entry.split(), 1, Integer::sum);
        });
        DatasetVersion.Commit upload = new DatasetVersion.Commit(uploadId, added.size(), batch.duplicates,
                batch.rejected, perLabel, perSplit);
        Dataset.NextVersion next = dataset.next(added, upload, Instant.now());
        repository.writeVersion(dataset, next);
        return next.summary();
    }

    private static void requireDatasetId(String datasetId) {
        try {
            ObjectKeys.requireName("dataset id", datasetId);
        } catch (IllegalArgumentException e) {
            throw IngestException.badRequest(e.getMessage());
        }
    }

    private void checkForm(UploadRequest request) {
        int images = request.images().size();
        if (images == 0 && request.archives().isEmpty()) {
            throw IngestException.badRequest("no files: send images as 'file' parts (each with a 'label' part) "
                    + "or archives as 'archive' parts");
        }
        if (images > 0 && request.labels().size() != 1 && request.labels().size() != images) {
            throw IngestException.badRequest("got " + images + " 'file' parts and " + request.labels().size()
                    + " 'label' parts: send one label for all files or one per file, in the same order");
        }
        if (!request.splits().isEmpty() && request.splits().size() != 1 && request.splits().size() != images) {
            throw IngestException.badRequest("got " + images + " 'file' parts and " + request.splits().size()
                    + " 'split' parts: send none, one for all files, or one per file");
        }
        if (images > config.limits().maxFiles()) {
            throw IngestException.tooLarge(images + " files exceed the limit of " + config.limits().maxFiles()
                    + " per request");
        }
    }

    private void offerImages(UploadRequest request, Batch batch) {
        List<String> labels = request.labels();
        List<String> splitNames = request.splits();
        for (int i = 0; i < request.images().size(); i++) {
            UploadRequest.IncomingFile file = request.images().get(i);
            String label = labels.get(labels.size() == 1 ? 0 : i);
            String split = splitNames.isEmpty() ? null : splitNames.get(splitNames.size() == 1 ? 0 : i);
            byte[] bytes = file.size() > config.limits().maxFileBytes() ? null : read(file);
            batch.offer(file.name(), bytes, bytes == null ? file.size() : bytes.length, label, split);
        }
    }

    private void offerArchiveEntry(String name, String path, byte[] bytes, long size, Batch batch) {
        if (size < 0) {
            batch.reject(name, "not-file", "not a regular file (links are not accepted)");
            return;
        }
        String[] parts = path.split("/");
        if (parts.length == 2) {
            batch.offer(name, bytes, size, parts[0], null);
        } else if (parts.length == 3) {
            batch.offer(name, bytes, size, parts[1], parts[0]);
        } else {
            batch.reject(name, "bad-path", "expected <label>/<file> or <train|val|test>/<label>/<file>");
        }
    }

    private static byte[] read(UploadRequest.IncomingFile file) {
        try {
            return Files.readAllBytes(file.path());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read uploaded file " + file.name(), e);
        }
    }

    /** The files of one request, their outcomes and the puts in flight. */
    private final class Batch {
        private final Dataset dataset;
        private final String uploadId;
        private final List<FileOutcome> outcomes = new ArrayList<>();
        private final List<ManifestEntry> accepted = new ArrayList<>();
        private final Map<String, ManifestEntry> seen = new HashMap<>();
        private final Map<String, String> seenNames = new HashMap<>();
        private final Map<String, CompletableFuture<Void>> puts = new LinkedHashMap<>();
        private final Semaphore inFlight = new Semaphore(2 * config.storeParallelism());
        private int duplicates;
        private int rejected;

        Batch(Dataset dataset, String uploadId) {
            this.dataset = dataset;
            this.uploadId = uploadId;
        }

        void offer(String name, byte[] bytes, long size, String label, String splitName) {
            if (outcomes.size() >= config.limits().maxFiles()) {
                throw IngestException.tooLarge("more than " + config.limits().maxFiles() + " files in one request");
            }
            if (bytes == null) {
                reject(name, "too-large", size + " bytes exceeds the limit of " + config.limits().maxFileBytes()
                        + " bytes per file");
                return;
            }
            if (label == null || !ObjectKeys.NAME.matcher(label).matches()) {
                reject(name, "bad-label", "label '" + label + "' must match " + ObjectKeys.NAME.pattern());
                return;
            }
            Split named = null;
            if (splitName != null && !splitName.isBlank()) {
                try {
                    named = Split.parse(splitName);
                } catch (IllegalArgumentException e) {
                    reject(name, "bad-split", e.getMessage());
                    return;
                }
            }
            ImageInspector.Image image;
            try {
                image = inspector.inspect(bytes);
            } catch (RejectedFileException e) {
                reject(name, e.code(), e.getMessage());
                return;
            }
            String sha256 = sha256(bytes);
            Optional<ManifestEntry> known = dataset.known(sha256).or(() -> Optional.ofNullable(seen.get(sha256)));
            if (known.isPresent()) {
                ManifestEntry existing = known.get();
                if (!existing.label().equals(label)) {
                    reject(name, "label-conflict", "the same image is already stored with label '"
                            + existing.label() + "'");
                    return;
                }
                duplicates++;
                outcomes.add(FileOutcome.duplicate(name, existing,
                        seenNames.getOrDefault(sha256, "an image of dataset " + dataset.id())));
                return;
            }
            Split split = named != null ? named : splits.assign(sha256);
            String key = ObjectKeys.image(dataset.id(), sha256, image.format().extension());
            ManifestEntry entry = new ManifestEntry(key, sha256, label, split, image.width(), image.height());
            seen.put(sha256, entry);
            seenNames.put(sha256, name);
            accepted.add(entry);
            outcomes.add(FileOutcome.accepted(name, entry));
            store(key, bytes, image.format().contentType());
        }

        void reject(String name, String code, String reason) {
            rejected++;
            outcomes.add(FileOutcome.rejected(name, code, reason));
        }

        private void store(String key, byte[] bytes, String contentType) {
            inFlight.acquireUninterruptibly();
            puts.put(key, CompletableFuture.runAsync(() -> {
                try {
                    repository.storeImage(key, bytes, contentType);
                    metrics.stored(bytes.length);
                } finally {
                    inFlight.release();
                }
            }, storeExecutor));
        }

        void awaitStored() {
            for (CompletableFuture<Void> put : puts.values()) {
                try {
                    put.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IngestException(503, "upload interrupted");
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException runtime ? runtime
                            : new IllegalStateException(e.getCause());
                }
            }
        }

        /** Removes what this request stored; only called when the request fails as a whole. */
        void removeStored() {
            puts.values().forEach(put -> put.exceptionally(failure -> null).join());
            for (String key : puts.keySet()) {
                try {
                    repository.deleteImage(key);
                } catch (RuntimeException ignored) {
                    // unreferenced content-addressed object: harmless, and overwritten by a later upload
                }
            }
        }

        UploadResult result(DatasetVersion version, int staged) {
            return new UploadResult(dataset.id(), uploadId, version == null ? null : version.version(),
                    version != null, accepted.size(), duplicates, rejected, staged, List.copyOf(outcomes));
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
