package io.stagetune.ingest.service;

import io.micrometer.core.instrument.Timer;
import io.stagetune.common.dataset.DatasetVersion;
import io.stagetune.common.dataset.ManifestEntry;
import io.stagetune.common.events.Split;
import io.stagetune.common.image.ImageInspector;
import io.stagetune.common.storage.ObjectStoreException;
import io.stagetune.ingest.api.UploadResult;
import io.stagetune.ingest.config.IngestConfig;
import io.stagetune.ingest.messaging.ManifestPublisher;
import io.stagetune.ingest.metrics.IngestMetrics;
import io.stagetune.ingest.repository.DatasetRepository;
import io.stagetune.ingest.repository.ImageObjects;
import io.stagetune.persistence.outbox.OutboxRelay;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Validates, stores and commits uploads. Per file: size, label, split and image checks, then dedupe by content hash
 * and a put of the content-addressed object. Per request: the images are offered to the dataset only after every
 * put is durable ({@link VersionService#commit}, one transaction); a committed version's manifest is written next and
 * its events leave through the outbox. If the request fails as a whole, the objects it stored are removed again
 * unless an image of the dataset refers to them, so nothing partial is stored or announced.
 */
@ApplicationScoped
public class UploadService {

    private static final Logger LOG = Logger.getLogger(UploadService.class);

    private final VersionService versions;
    private final DatasetRepository datasets;
    private final ImageObjects objects;
    private final ManifestPublisher manifests;
    private final OutboxRelay relay;
    private final IngestMetrics metrics;
    private final IngestConfig config;
    private final ImageInspector inspector;
    private final ArchiveReader archives;
    private final SplitAssigner splits;
    private final ExecutorService storeExecutor;

    public UploadService(VersionService versions, DatasetRepository datasets, ImageObjects objects,
                         ManifestPublisher manifests, OutboxRelay relay, IngestMetrics metrics, IngestConfig config) {
        this.versions = versions;
        this.datasets = datasets;
        this.objects = objects;
        this.manifests = manifests;
        this.relay = relay;
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

    /** Creates a version from the staged images, if there are any; staged on any replica. */
    public Optional<DatasetVersion> seal(String datasetId) {
        DatasetService.requireDatasetId(datasetId);
        Optional<DatasetVersion> version = versions.seal(datasetId, UUID.randomUUID().toString());
        version.ifPresent(this::publish);
        return version;
    }

    /**
     * Stages one image labelled by a reviewer (see {@code ReviewService}): the same validation, dedupe and split
     * assignment as an upload ({@code split} null: by content hash), its provenance kept with it, no version yet.
     */
    public UploadResult stageLabelled(String datasetId, String name, byte[] bytes, String label, Split split,
                                      ManifestEntry.Provenance provenance) {
        DatasetService.requireDatasetId(datasetId);
        Timer.Sample timing = Timer.start();
        try {
            UploadResult result = ingest(datasetId, false, batch -> batch.offer(name, bytes, bytes.length, label,
                    split == null ? null : split.pathName(), provenance));
            metrics.recorded(result);
            return result;
        } finally {
            timing.stop(metrics.uploadTimer());
        }
    }

    private UploadResult ingest(String datasetId, UploadRequest request) {
        DatasetService.requireDatasetId(datasetId);
        checkForm(request);
        return ingest(datasetId, request.commit(), batch -> {
            offerImages(request, batch);
            for (UploadRequest.IncomingFile archive : request.archives()) {
                archives.read(archive.path(), archive.name(),
                        (path, bytes, size) -> offerArchiveEntry(archive.name() + "!" + path, path, bytes, size,
                                batch));
            }
        });
    }

    private UploadResult ingest(String datasetId, boolean createVersion, Consumer<UploadBatch> offer) {
        String uploadId = UUID.randomUUID().toString();
        long cleanupsSeen = versions.cleanups(datasetId);
        UploadBatch batch = new UploadBatch(datasetId, uploadId, config, inspector, splits, datasets, objects,
                storeExecutor, metrics);
        VersionService.Committed committed;
        try {
            offer.accept(batch);
            batch.finish();
            committed = commit(datasetId, uploadId, batch, createVersion, cleanupsSeen);
        } catch (RuntimeException e) {
            removeStored(datasetId, batch);
            if (e instanceof ObjectStoreException storeFailure) {
                throw new IngestException(503, "object store unavailable, nothing was stored: "
                        + storeFailure.getMessage());
            }
            throw e;
        }
        batch.apply(committed.decisions());
        if (committed.version() != null) {
            publish(committed.version());
        }
        return batch.result(committed.version(), !createVersion);
    }

    private VersionService.Committed commit(String datasetId, String uploadId, UploadBatch batch, boolean createVersion,
                                           long cleanupsSeen) {
        try {
            return versions.commit(datasetId, uploadId, batch.candidates(), batch.earlier(), createVersion,
                    cleanupsSeen);
        } catch (IngestException | ObjectStoreException e) {
            throw e;
        } catch (RuntimeException databaseFailure) {
            Throwable cause = databaseFailure;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            throw new IngestException(503, "database unavailable, nothing was stored: " + cause.getMessage());
        }
    }

    /** Writes the version's objects now (the relay writes them later if this fails) and wakes the relay. */
    private void publish(DatasetVersion version) {
        try {
            manifests.ensureWritten(version.datasetId(), version.version());
        } catch (RuntimeException e) {
            LOG.warnf("dataset %s v%d is committed; its manifest will be written before it is announced: %s",
                    version.datasetId(), version.version(), e.getMessage());
        }
        relay.wake();
    }

    private void removeStored(String datasetId, UploadBatch batch) {
        Map<String, String> stored = batch.stored();
        if (stored.isEmpty()) {
            return;
        }
        try {
            versions.removeUnreferenced(datasetId, stored);
        } catch (RuntimeException e) {
            LOG.warnf("upload to %s failed; %d stored objects no image refers to are left: %s", datasetId,
                    stored.size(), e.getMessage());
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

    private void offerImages(UploadRequest request, UploadBatch batch) {
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

    private void offerArchiveEntry(String name, String path, byte[] bytes, long size, UploadBatch batch) {
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
}
