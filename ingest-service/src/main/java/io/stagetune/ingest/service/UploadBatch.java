package io.stagetune.ingest.service;

import io.stagetune.common.dataset.DatasetVersion;
import io.stagetune.common.dataset.ManifestEntry;
import io.stagetune.common.events.Split;
import io.stagetune.common.image.ContentHash;
import io.stagetune.common.image.ImageInspector;
import io.stagetune.common.image.RejectedFileException;
import io.stagetune.common.storage.ObjectKeys;
import io.stagetune.ingest.api.FileOutcome;
import io.stagetune.ingest.api.UploadResult;
import io.stagetune.ingest.config.IngestConfig;
import io.stagetune.ingest.metrics.IngestMetrics;
import io.stagetune.ingest.repository.DatasetRepository;
import io.stagetune.ingest.repository.ImageObjects;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;

/**
 * The files of one upload: each file's outcome in the order it came, the images offered to the dataset, and the
 * puts in flight. Files are validated one by one; every {@value #CHECK_EVERY} valid images (or
 * {@value #CHECK_BYTES} bytes) are looked up in the dataset, and only those it does not hold yet are stored, in
 * parallel with the validation of the next ones: the validating thread waits for puts only when more than
 * {@value #IN_FLIGHT_BYTES} bytes wait to be stored. The dataset's transaction decides the rest ({@link #apply}).
 */
final class UploadBatch {

    static final int CHECK_EVERY = 128;
    static final int CHECK_BYTES = 8 << 20;
    /** Bytes of images an upload holds in memory until they are stored (an image larger than this waits alone). */
    static final int IN_FLIGHT_BYTES = 32 << 20;

    private final String datasetId;
    private final String uploadId;
    private final IngestConfig.Limits limits;
    private final ImageInspector inspector;
    private final SplitAssigner splits;
    private final DatasetRepository datasets;
    private final ImageObjects objects;
    private final ExecutorService storeExecutor;
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT_BYTES);
    private final IngestMetrics metrics;

    private final List<FileOutcome> outcomes = new ArrayList<>();
    private final Map<String, Slot> seen = new HashMap<>();
    private final List<Unchecked> unchecked = new ArrayList<>();
    private long uncheckedBytes;
    private final List<Slot> offered = new ArrayList<>();
    private final Map<String, CompletableFuture<Void>> puts = new LinkedHashMap<>();
    private int duplicates;
    private int rejected;

    /** A valid image of this upload, at its place among the outcomes. */
    private record Slot(int index, String name, ManifestEntry entry) {
    }

    private record Unchecked(Slot slot, byte[] bytes, String contentType) {
    }

    UploadBatch(String datasetId, String uploadId, IngestConfig config, ImageInspector inspector,
                SplitAssigner splits, DatasetRepository datasets, ImageObjects objects, ExecutorService storeExecutor,
                IngestMetrics metrics) {
        this.datasetId = datasetId;
        this.uploadId = uploadId;
        this.limits = config.limits();
        this.inspector = inspector;
        this.splits = splits;
        this.datasets = datasets;
        this.objects = objects;
        this.storeExecutor = storeExecutor;
        this.metrics = metrics;
    }

    void offer(String name, byte[] bytes, long size, String label, String splitName) {
        offer(name, bytes, size, label, splitName, null);
    }

    /** Offers one file; {@code provenance} is kept with the image when it is a label from production. */
    void offer(String name, byte[] bytes, long size, String label, String splitName,
               ManifestEntry.Provenance provenance) {
        if (outcomes.size() >= limits.maxFiles()) {
            throw IngestException.tooLarge("more than " + limits.maxFiles() + " files in one request");
        }
        if (bytes == null) {
            reject(name, "too-large", size + " bytes exceeds the limit of " + limits.maxFileBytes() + " bytes per file");
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
        String sha256 = ContentHash.sha256(bytes);
        Slot earlier = seen.get(sha256);
        if (earlier != null) {
            if (!earlier.entry().label().equals(label)) {
                reject(name, "label-conflict", "the same image is already in this upload with label '"
                        + earlier.entry().label() + "'");
            } else {
                duplicates++;
                outcomes.add(FileOutcome.duplicate(name, earlier.entry(), earlier.name()));
            }
            return;
        }
        Split split = named != null ? named : splits.assign(sha256);
        String key = ObjectKeys.image(datasetId, sha256, image.format().extension());
        Slot slot = new Slot(outcomes.size(), name, new ManifestEntry(key, sha256, label, split, image.width(),
                image.height(), provenance));
        outcomes.add(null);
        seen.put(sha256, slot);
        unchecked.add(new Unchecked(slot, bytes, image.format().contentType()));
        uncheckedBytes += bytes.length;
        if (unchecked.size() >= CHECK_EVERY || uncheckedBytes >= CHECK_BYTES) {
            storeWhatTheDatasetLacks();
        }
    }

    void reject(String name, String code, String reason) {
        rejected++;
        outcomes.add(FileOutcome.rejected(name, code, reason));
    }

    /** Stores what is left to store and waits until every put is durable. */
    void finish() {
        storeWhatTheDatasetLacks();
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

    List<VersionService.Candidate> candidates() {
        return offered.stream().map(slot -> new VersionService.Candidate(slot.name(), slot.entry())).toList();
    }

    VersionService.Earlier earlier() {
        return new VersionService.Earlier(duplicates, rejected);
    }

    /** Takes the dataset transaction's decisions (in the order of {@link #candidates()}) into the outcomes. */
    void apply(List<VersionService.Decision> decisions) {
        for (int i = 0; i < decisions.size(); i++) {
            Slot slot = offered.get(i);
            ManifestEntry existing = decisions.get(i).existing();
            outcomes.set(slot.index(), existing == null ? FileOutcome.accepted(slot.name(), slot.entry())
                    : outcomeAgainst(slot.name(), slot.entry().label(), existing));
        }
    }

    /** The content hashes and keys of what this upload put (or started to put) into the bucket. */
    Map<String, String> stored() {
        Map<String, String> stored = new HashMap<>();
        puts.values().forEach(put -> put.exceptionally(failure -> null).join());
        offered.forEach(slot -> stored.put(slot.entry().sha256(), slot.entry().key()));
        return stored;
    }

    UploadResult result(DatasetVersion version, boolean staging) {
        int accepted = (int) outcomes.stream().filter(outcome -> outcome.status() == FileOutcome.Status.accepted)
                .count();
        int duplicate = (int) outcomes.stream().filter(outcome -> outcome.status() == FileOutcome.Status.duplicate)
                .count();
        return new UploadResult(datasetId, uploadId, version == null ? null : version.version(), version != null,
                accepted, duplicate, outcomes.size() - accepted - duplicate, staging ? accepted : 0,
                List.copyOf(outcomes));
    }

    private void storeWhatTheDatasetLacks() {
        if (unchecked.isEmpty()) {
            return;
        }
        Map<String, ManifestEntry> held = datasets.images(datasetId,
                unchecked.stream().map(file -> file.slot().entry().sha256()).toList());
        for (Unchecked file : unchecked) {
            Slot slot = file.slot();
            ManifestEntry existing = held.get(slot.entry().sha256());
            if (existing != null) {
                FileOutcome outcome = outcomeAgainst(slot.name(), slot.entry().label(), existing);
                if (outcome.status() == FileOutcome.Status.duplicate) {
                    duplicates++;
                } else {
                    rejected++;
                }
                outcomes.set(slot.index(), outcome);
            } else {
                offered.add(slot);
                store(slot.entry().key(), file.bytes(), file.contentType());
            }
        }
        unchecked.clear();
        uncheckedBytes = 0;
    }

    private FileOutcome outcomeAgainst(String name, String label, ManifestEntry existing) {
        if (!existing.label().equals(label)) {
            return FileOutcome.rejected(name, "label-conflict", "the same image is already stored with label '"
                    + existing.label() + "'");
        }
        return FileOutcome.duplicate(name, existing, "an image of dataset " + datasetId);
    }

    private void store(String key, byte[] bytes, String contentType) {
        int permits = Math.min(bytes.length, IN_FLIGHT_BYTES);
        inFlight.acquireUninterruptibly(permits);
        puts.put(key, CompletableFuture.runAsync(() -> {
            try {
                objects.storeImage(key, bytes, contentType);
                metrics.stored(bytes.length);
            } finally {
                inFlight.release(permits);
            }
        }, storeExecutor));
    }
}
