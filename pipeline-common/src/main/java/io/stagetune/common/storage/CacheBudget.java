package io.stagetune.common.storage;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Keeps local cache folders (downloaded dataset images, backbone features) under a size budget, deleting the files
 * used longest ago. A long-running worker fills its cache with every dataset version it meets; on Kubernetes the
 * cache is an {@code emptyDir} with a size limit, and a pod that passes it is evicted, mid-stage.
 * <p>
 * A file's last use is its modification time: caches write files fresh and call {@link #touch} on every hit
 * (access times are not kept on {@code noatime} mounts). {@link #trim} runs between tasks, when nothing of this
 * process reads the cache, and brings the total down to {@value #LOW_WATER_PERCENT}% of the budget, so that the
 * next task rarely trims again. Temporary files of writes that a crash interrupted ({@code *.part},
 * {@code *.partial}) are deleted once they are an hour old, whatever the budget.
 */
public final class CacheBudget {

    private static final Logger LOG = Logger.getLogger(CacheBudget.class);

    /** What a trim aims for, as a share of the budget. */
    static final int LOW_WATER_PERCENT = 90;

    private static final Duration STALE_TEMPORARY = Duration.ofHours(1);

    private final List<Path> folders;
    private final long maxBytes;
    private final Clock clock;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong evictedFiles = new AtomicLong();
    private final AtomicLong evictedBytes = new AtomicLong();

    /**
     * @param folders  the cache folders, walked recursively (they need not exist yet)
     * @param maxBytes the budget in bytes over all of them; 0 or less keeps everything
     */
    public CacheBudget(List<Path> folders, long maxBytes, Clock clock) {
        this.folders = List.copyOf(folders);
        this.maxBytes = maxBytes;
        this.clock = clock;
    }

    public CacheBudget(List<Path> folders, long maxBytes) {
        this(folders, maxBytes, Clock.systemUTC());
    }

    /** What one trim found and did. */
    public record Trim(long filesBefore, long bytesBefore, int evictedFiles, long evictedBytes, long bytesAfter) {
    }

    /** Marks a cached file as used now. False when it is gone (evicted), and then the caller fetches it again. */
    public static boolean touch(Path file) {
        try {
            Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot mark cached file " + file + " as used", e);
        }
    }

    /**
     * Deletes the files used longest ago until the cache holds at most {@value #LOW_WATER_PERCENT}% of the
     * budget, when it holds more than the budget. Call it when no task of this process is reading the cache.
     */
    public synchronized Trim trim() {
        Instant staleBefore = clock.instant().minus(STALE_TEMPORARY);
        List<Entry> entries = new ArrayList<>();
        long total = 0;
        for (Path folder : folders) {
            for (Entry entry : files(folder)) {
                if (temporary(entry.path)) {
                    if (entry.lastUse.toInstant().isBefore(staleBefore)) {
                        delete(entry.path);
                    }
                    continue;
                }
                entries.add(entry);
                total += entry.size;
            }
        }
        long before = total;
        int evicted = 0;
        if (maxBytes > 0 && total > maxBytes) {
            long target = maxBytes / 100 * LOW_WATER_PERCENT;
            entries.sort(Comparator.comparing((Entry entry) -> entry.lastUse).thenComparing(entry -> entry.path));
            for (Entry entry : entries) {
                if (total <= target) {
                    break;
                }
                if (delete(entry.path)) {
                    total -= entry.size;
                    evicted++;
                    removeEmptyParents(entry.path);
                }
            }
            evictedFiles.addAndGet(evicted);
            evictedBytes.addAndGet(before - total);
            LOG.infof("local cache over its budget of %s: evicted the %d files used longest ago (%s); %s remain in %s",
                    human(maxBytes), evicted, human(before - total), human(total), folders);
        }
        bytes.set(total);
        return new Trim(entries.size(), before, evicted, before - total, total);
    }

    /** {@link #trim}, logging a failure instead of throwing it: a cache that cannot be trimmed fails no task. */
    public void trimAfterTask() {
        try {
            trim();
        } catch (RuntimeException e) {
            LOG.warnf(e, "cannot trim the local cache %s to its budget", folders);
        }
    }

    /** Bytes in the cache at the last trim. */
    public long bytes() {
        return bytes.get();
    }

    public long evictedFiles() {
        return evictedFiles.get();
    }

    public long evictedBytes() {
        return evictedBytes.get();
    }

    public long maxBytes() {
        return maxBytes;
    }

    private record Entry(Path path, long size, FileTime lastUse) {
    }

    private static List<Entry> files(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<Entry> entries = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            walk.forEach(path -> {
                try {
                    BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
                    if (attributes.isRegularFile()) {
                        entries.add(new Entry(path, attributes.size(), attributes.lastModifiedTime()));
                    }
                } catch (NoSuchFileException e) {
                    // deleted while walking
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read cached file " + path, e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list cache folder " + folder, e);
        }
        return entries;
    }

    private static boolean temporary(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".part") || name.endsWith(".partial");
    }

    private static boolean delete(Path file) {
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot evict cached file " + file, e);
        }
    }

    /** Removes the folders (a backbone's features) that eviction emptied, up to the cache folder itself. */
    private void removeEmptyParents(Path file) {
        for (Path parent = file.getParent(); parent != null && !folders.contains(parent)
                && folders.stream().anyMatch(parent::startsWith); parent = parent.getParent()) {
            try {
                Files.delete(parent);
            } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                return;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove emptied cache folder " + parent, e);
            }
        }
    }

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String units = "KMGTPE";
        int unit = (63 - Long.numberOfLeadingZeros(bytes)) / 10;
        return String.format(java.util.Locale.ROOT, "%.1f %siB", bytes / Math.pow(1024, unit), units.charAt(unit - 1));
    }
}
