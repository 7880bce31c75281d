package io.stagetune.ingest.service;

import io.stagetune.common.dataset.DatasetVersion;
import io.stagetune.common.dataset.ManifestEntry;
import io.stagetune.common.events.PipelineEvent;
import io.stagetune.common.events.Split;
import io.stagetune.common.storage.ObjectKeys;
import io.stagetune.ingest.Dataset;
import io.stagetune.ingest.DatasetImage;
import io.stagetune.ingest.DatasetVersionRecord;
import io.stagetune.ingest.messaging.VersionEvents;
import io.stagetune.ingest.repository.DatasetRepository;
import io.stagetune.ingest.repository.ImageObjects;
import io.stagetune.persistence.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where ingest writes dataset versions. Each method is one database transaction that first locks the dataset's row,
 * so commits of one dataset from any number of replicas take turns: an image is added once per dataset whichever
 * replica got it first (the others report a duplicate), version numbers go 1, 2, 3... without gaps, a version holds
 * every image committed or staged before it, and its two events are written to the outbox in the same transaction,
 * so a version is announced exactly when it is committed.
 */
@ApplicationScoped
public class VersionService {

    private final DatasetRepository datasets;
    private final ImageObjects objects;
    private final Outbox outbox;

    public VersionService(DatasetRepository datasets, ImageObjects objects, Outbox outbox) {
        this.datasets = datasets;
        this.objects = objects;
        this.outbox = outbox;
    }

    /** An image an upload stored and offers to the dataset. */
    public record Candidate(String name, ManifestEntry entry) {
    }

    /** What became of a candidate: added, or the image the dataset already holds for the same bytes. */
    public record Decision(Candidate candidate, ManifestEntry existing) {
        public boolean added() {
            return existing == null;
        }
    }

    /**
     * What the upload decided before this transaction: files rejected by validation, and duplicates of images the
     * dataset already held when the upload looked.
     */
    public record Earlier(int duplicates, int rejected) {
    }

    /** @param version the version created, or null when the upload was staged or brought nothing new */
    public record Committed(List<Decision> decisions, DatasetVersion version) {
    }

    /**
     * Adds the candidates that the dataset does not hold yet (staged), then, if {@code createVersion}, commits every
     * staged image as the next version. {@code cleanupsSeen} is the dataset's clean-up count from before the upload
     * stored anything: if another upload has cleaned up since, the candidates' objects are checked, and the upload
     * is refused (nothing added) when one of them is gone.
     */
    @Transactional
    public Committed commit(String datasetId, String uploadId, List<Candidate> candidates, Earlier earlier,
                            boolean createVersion, long cleanupsSeen) {
        if (candidates.isEmpty() && (!createVersion || datasets.find(datasetId).isEmpty())) {
            return new Committed(List.of(), null);
        }
        Dataset dataset = datasets.lock(datasetId);
        Map<String, ManifestEntry> held = datasets.images(datasetId,
                candidates.stream().map(candidate -> candidate.entry().sha256()).toList());
        List<Decision> decisions = new ArrayList<>();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        for (Candidate candidate : candidates) {
            ManifestEntry existing = held.get(candidate.entry().sha256());
            decisions.add(new Decision(candidate, existing));
            if (existing == null) {
                if (dataset.cleanups() != cleanupsSeen && !objects.exists(candidate.entry().key())) {
                    throw new IngestException(503, "'" + candidate.name() + "' was removed by a failed upload of the "
                            + "same image at the same time; nothing was stored, send the upload again");
                }
                datasets.add(new DatasetImage(datasetId, candidate.entry(), null, uploadId, now));
            }
        }
        if (!createVersion || datasets.stagedCount(datasetId) == 0) {
            return new Committed(decisions, null);
        }
        return new Committed(decisions, createVersion(dataset, commitOf(uploadId, decisions, earlier), now));
    }

    /** Commits the staged images as the next version, if there are any. */
    @Transactional
    public Optional<DatasetVersion> seal(String datasetId, String sealId) {
        Optional<Dataset> dataset = datasets.lockExisting(datasetId);
        if (dataset.isEmpty() || datasets.stagedCount(datasetId) == 0) {
            return Optional.empty();
        }
        return Optional.of(createVersion(dataset.get(), new DatasetVersion.Commit(sealId, 0, 0, 0, Map.of(),
                Map.of()), Instant.now().truncatedTo(ChronoUnit.MICROS)));
    }

    /**
     * Deletes the objects a failed upload stored, unless an image of the dataset refers to them. Under the dataset's
     * lock, and counted, so that an upload of the same bytes that is still running checks its objects before it
     * commits them.
     */
    @Transactional
    public void removeUnreferenced(String datasetId, Map<String, String> keysBySha256) {
        Dataset dataset = datasets.lock(datasetId);
        dataset.cleanedUp();
        Set<String> referenced = datasets.images(datasetId, keysBySha256.keySet()).keySet();
        keysBySha256.forEach((sha256, key) -> {
            if (!referenced.contains(sha256)) {
                objects.delete(key);
            }
        });
    }

    /** The dataset's clean-up count now (0 for a dataset that does not exist yet). */
    public long cleanups(String datasetId) {
        return datasets.find(datasetId).map(Dataset::cleanups).orElse(0L);
    }

    private DatasetVersion createVersion(Dataset dataset, DatasetVersion.Commit upload, Instant now) {
        String id = dataset.id();
        int number = dataset.nextVersion();
        datasets.assignStaged(id, number);
        Map<Split, Integer> added = new EnumMap<>(Split.class);
        Map<String, Map<Split, Integer>> addedCounts = datasets.countsIn(id, number);
        addedCounts.values().forEach(perSplit -> perSplit.forEach((split, count) -> added.merge(split, count,
                Integer::sum)));
        // The previous version's counts plus what this one adds: no pass over the whole dataset per commit.
        DatasetVersion previous = number == 1 ? null : datasets.version(id, number - 1).orElseThrow().summary();
        Map<String, Map<Split, Integer>> counts = new TreeMap<>();
        if (previous != null) {
            previous.counts().forEach((label, perSplit) -> counts.put(label, new EnumMap<>(perSplit)));
        }
        addedCounts.forEach((label, perSplit) -> perSplit.forEach((split, count) -> counts
                .computeIfAbsent(label, key -> new EnumMap<>(Split.class)).merge(split, count, Integer::sum)));
        List<String> labels = List.copyOf(counts.keySet());
        Set<String> previousLabels = previous == null ? Set.of() : Set.copyOf(previous.labels());
        List<String> newLabels = labels.stream().filter(label -> !previousLabels.contains(label)).toList();
        int imageCount = counts.values().stream().flatMap(perSplit -> perSplit.values().stream())
                .mapToInt(Integer::intValue).sum();
        DatasetVersion version = new DatasetVersion(id, number, number == 1 ? null : number - 1, now,
                ObjectKeys.manifest(id, number), imageCount, labels, counts, added, newLabels, upload);
        datasets.addVersion(new DatasetVersionRecord(version, false));
        for (PipelineEvent event : VersionEvents.of(version)) {
            outbox.add(event, now);
        }
        return version;
    }

    private static DatasetVersion.Commit commitOf(String uploadId, List<Decision> decisions, Earlier earlier) {
        Map<String, Integer> perLabel = new TreeMap<>();
        Map<Split, Integer> perSplit = new EnumMap<>(Split.class);
        int added = 0;
        int duplicates = earlier.duplicates();
        int rejected = earlier.rejected();
        for (Decision decision : decisions) {
            ManifestEntry entry = decision.candidate().entry();
            if (decision.added()) {
                added++;
                perLabel.merge(entry.label(), 1, Integer::sum);
                perSplit.merge(entry.split(), 1, Integer::sum);
            } else if (decision.existing().label().equals(entry.label())) {
                duplicates++;
            } else {
                rejected++;
            }
        }
        return new DatasetVersion.Commit(uploadId, added, duplicates, rejected, perLabel, perSplit);
    }
}
