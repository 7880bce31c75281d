package io.stagetune.ingest.service;

import io.quarkus.scheduler.Scheduled;
import io.stagetune.common.events.DatasetVersionCreated;
import io.stagetune.common.events.ImagesIngested;
import io.stagetune.common.events.PipelineEvent;
import io.stagetune.common.runtime.EventSender;
import io.stagetune.common.dataset.DatasetVersion;
import io.stagetune.ingest.config.IngestConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Publishes a version's {@code ImagesIngested} and {@code DatasetVersionCreated} once the version is durable,
 * and records that it did ({@code <datasetId>/announced/v<N>}). A version whose events were not acknowledged
 * stays pending and is retried; after a restart, every version without the marker is announced again. Event ids
 * derive from dataset and version, so a consumer that sees an event twice can tell.
 */
@ApplicationScoped
public class VersionAnnouncer {

    private static final Logger LOG = Logger.getLogger(VersionAnnouncer.class);

    private final Emitter<String> emitter;
    private final DatasetRepository repository;
    private final IngestConfig config;
    private final IngestMetrics metrics;
    private final Set<DatasetVersion> pending = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean recovered = new AtomicBoolean();
    private final ExecutorService sender = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "dataset-announcer");
        thread.setDaemon(true);
        return thread;
    });

    public VersionAnnouncer(@Channel("dataset-events") Emitter<String> emitter, DatasetRepository repository,
                            IngestConfig config, IngestMetrics metrics) {
        this.emitter = emitter;
        this.repository = repository;
        this.config = config;
        this.metrics = metrics;
        metrics.unannouncedVersions(pending::size);
    }

    /**
     * Announces on the announcer's own thread, in submission order, so an upload's response does not wait for
     * the broker; a version whose events fail stays pending for {@link #retry}.
     */
    public void announceInBackground(DatasetVersion version) {
        sender.execute(() -> announce(version));
    }

    @PreDestroy
    void stop() {
        sender.shutdown();
    }

    /** @return whether the broker acknowledged both events now; if not, they are retried in the background */
    public boolean announce(DatasetVersion version) {
        try {
            for (PipelineEvent event : events(version)) {
                EventSender.send(emitter, event, config.announce().timeout());
            }
            repository.markAnnounced(version.datasetId(), version.version());
            pending.remove(version);
            return true;
        } catch (RuntimeException e) {
            if (pending.add(version)) {
                LOG.warnf("dataset %s v%d is stored but not announced yet, will retry: %s", version.datasetId(),
                        version.version(), e.getMessage());
            }
            return false;
        }
    }

    @Scheduled(every = "${ingest.announce.retry-every:5s}", delayed = "${ingest.announce.retry-every:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void retry() {
        if (recovered.compareAndSet(false, true)) {
            try {
                recover();
            } catch (RuntimeException e) {
                recovered.set(false);
                LOG.warnf("cannot scan for unannounced dataset versions yet: %s", e.getMessage());
            }
        }
        pending.stream().sorted(Comparator.comparing(DatasetVersion::datasetId)
                        .thenComparingInt(DatasetVersion::version))
                .forEachOrdered(this::announce);
    }

    public int pendingCount() {
        return pending.size();
    }

    /**
     * Queues every stored version that has no announced marker: what a crash between writing a version and
     * sending its events leaves behind. Runs once after start-up, before the first retry.
     */
    public void recover() {
        for (String datasetId : repository.datasetIds()) {
            for (DatasetVersion version : repository.dataset(datasetId).versions()) {
                if (!repository.isAnnounced(datasetId, version.version())) {
                    pending.add(version);
                }
            }
        }
    }

    static List<PipelineEvent> events(DatasetVersion version) {
        DatasetVersion.Commit upload = version.upload();
        ImagesIngested ingested = new ImagesIngested(eventId(version, "ImagesIngested"),
                PipelineEvent.SCHEMA_VERSION, version.createdAt(), version.datasetId(), upload.uploadId(),
                version.version(), upload.accepted(), upload.duplicates(), upload.rejected(),
                upload.acceptedPerLabel(), upload.acceptedPerSplit());
        DatasetVersionCreated created = new DatasetVersionCreated(eventId(version, "DatasetVersionCreated"),
                PipelineEvent.SCHEMA_VERSION, version.createdAt(), version.datasetId(), version.version(),
                version.previousVersion(), version.manifestKey(), version.labels(), version.counts(),
                version.imageCount(), version.newImages(), version.newLabels());
        return List.of(ingested, created);
    }

    private static UUID eventId(DatasetVersion version, String type) {
        return UUID.nameUUIDFromBytes((version.datasetId() + "/v" + version.version() + "/" + type)
                .getBytes(StandardCharsets.UTF_8));
    }
}
