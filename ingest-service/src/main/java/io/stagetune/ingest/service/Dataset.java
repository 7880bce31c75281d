package io.stagetune.ingest.service;

import io.stagetune.common.events.Split;
import io.stagetune.common.dataset.DatasetVersion;
import io.stagetune.common.dataset.ManifestEntry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-memory state of one dataset, rebuilt from the object store on first use: the images of its latest
 * version, the staged images not yet in a version, and the summaries of all versions. Mutations happen under
 * {@link #lock()}, so uploads to one dataset are serialised while different datasets proceed in parallel.
 */
public final class Dataset {

    private final String id;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, ManifestEntry> latest = new LinkedHashMap<>();
    private final Map<String, ManifestEntry> staged = new LinkedHashMap<>();
    private final List<String> stagedFiles = new ArrayList<>();
    private final TreeMap<Integer, DatasetVersion> versions = new TreeMap<>();

    public Dataset(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public ReentrantLock lock() {
        return lock;
    }

    public int latestVersion() {
        return versions.isEmpty() ? 0 : versions.lastKey();
    }

    public Optional<DatasetVersion> version(int version) {
        return Optional.ofNullable(versions.get(version));
    }

    public List<DatasetVersion> versions() {
        return List.copyOf(versions.values());
    }

    public boolean isEmpty() {
        return versions.isEmpty() && staged.isEmpty();
    }

    /** The entry already known for these bytes, in the latest version or staged. */
    public Optional<ManifestEntry> known(String sha256) {
        ManifestEntry entry = latest.get(sha256);
        return Optional.ofNullable(entry != null ? entry : staged.get(sha256));
    }

    public int stagedCount() {
        return staged.size();
    }

    public List<String> stagedFiles() {
        return List.copyOf(stagedFiles);
    }

    void restoreVersion(DatasetVersion summary) {
        versions.put(summary.version(), summary);
    }

    void restoreLatest(Collection<ManifestEntry> entries) {
        latest.clear();
        entries.forEach(entry -> latest.put(entry.sha256(), entry));
    }

    void restoreStaged(String file, Collection<ManifestEntry> entries) {
        stagedFiles.add(file);
        entries.stream().filter(entry -> !latest.containsKey(entry.sha256()))
                .forEach(entry -> staged.put(entry.sha256(), entry));
    }

    void stage(String file, Collection<ManifestEntry> entries) {
        restoreStaged(file, entries);
    }

    /**
     * The next version: every image of the latest version, then the staged ones, then {@code added}.
     * Nothing changes until {@link #commit} is called with the result, after it is durable.
     */
    public NextVersion next(Collection<ManifestEntry> added, DatasetVersion.Commit upload, Instant now) {
        Map<String, ManifestEntry> entries = new LinkedHashMap<>(latest);
        List<ManifestEntry> fresh = new ArrayList<>(staged.values());
        fresh.addAll(added);
        fresh.forEach(entry -> entries.put(entry.sha256(), entry));

        Map<String, Map<Split, Integer>> counts = new TreeMap<>();
        for (ManifestEntry entry : entries.values()) {
            counts.computeIfAbsent(entry.label(), label -> new EnumMap<>(Split.class))
                    .merge(entry.split(), 1, Integer::sum);
        }
        Map<Split, Integer> newImages = new EnumMap<>(Split.class);
        fresh.forEach(entry -> newImages.merge(entry.split(), 1, Integer::sum));
        TreeSet<String> previousLabels = new TreeSet<>();
        latest.values().forEach(entry -> previousLabels.add(entry.label()));
        List<String> newLabels = counts.keySet().stream().filter(label -> !previousLabels.contains(label)).toList();

        int number = latestVersion() + 1;
        DatasetVersion summary = new DatasetVersion(id, number, number == 1 ? null : number - 1, now,
                io.stagetune.common.storage.ObjectKeys.manifest(id, number), entries.size(),
                List.copyOf(counts.keySet()), counts, newImages, newLabels, upload);
        return new NextVersion(summary, List.copyOf(entries.values()));
    }

    void commit(NextVersion next) {
        versions.put(next.summary().version(), next.summary());
        restoreLatest(next.entries());
        staged.clear();
        stagedFiles.clear();
    }

    /** A version computed but not yet written. */
    public record NextVersion(DatasetVersion summary, List<ManifestEntry> entries) {
    }
}
