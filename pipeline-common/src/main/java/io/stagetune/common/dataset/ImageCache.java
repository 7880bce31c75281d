package io.stagetune.common.dataset;

import io.stagetune.common.storage.CacheBudget;
import io.stagetune.common.storage.ObjectStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Dataset images on local disk, content-addressed ({@code <dir>/<sha256>.<ext>}), so every image is downloaded
 * once per machine and reused by every later run and stage. Downloads are atomic: a partial file never appears
 * under its final name. Every fetch marks the files it finds as used now, for {@link CacheBudget}'s eviction.
 */
public class ImageCache {

    private final ObjectStore store;
    private final Path directory;
    private final int parallelism;

    public ImageCache(ObjectStore store, Path directory, int parallelism) {
        this.store = store;
        this.directory = directory;
        this.parallelism = parallelism;
    }

    /** Local files of the entries, in order, downloading the ones not cached yet. */
    public List<Path> fetch(String bucket, List<ManifestEntry> entries) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create image cache " + directory, e);
        }
        List<Path> files = new ArrayList<>(entries.size());
        List<CompletableFuture<Void>> downloads = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(parallelism);
        try {
            for (ManifestEntry entry : entries) {
                Path file = fileFor(entry);
                files.add(file);
                if (!CacheBudget.touch(file)) {
                    downloads.add(CompletableFuture.runAsync(() -> store.download(bucket, entry.key(), file), pool));
                }
            }
            CompletableFuture.allOf(downloads.toArray(CompletableFuture[]::new)).join();
        } finally {
            pool.shutdown();
        }
        return files;
    }

    public int downloadsNeeded(List<ManifestEntry> entries) {
        return (int) entries.stream().filter(entry -> !Files.exists(fileFor(entry))).count();
    }

    private Path fileFor(ManifestEntry entry) {
        return directory.resolve(entry.sha256() + entry.key().substring(entry.key().lastIndexOf('.')));
    }
}
