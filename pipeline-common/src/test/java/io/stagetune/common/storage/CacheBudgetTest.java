package io.stagetune.common.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CacheBudgetTest {

    private static final Instant NOW = Instant.now();
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path cache;

    @Test
    void underItsBudgetTheCacheKeepsEverythingAndReportsItsSize() throws IOException {
        Path images = cache.resolve("images");
        file(images.resolve("a.png"), 1000, 3);
        file(images.resolve("b.png"), 500, 2);
        CacheBudget budget = new CacheBudget(List.of(images, cache.resolve("features")), 1500, CLOCK);

        CacheBudget.Trim trim = budget.trim();

        assertThat(trim).isEqualTo(new CacheBudget.Trim(2, 1500, 0, 0, 1500));
        assertThat(budget.bytes()).isEqualTo(1500);
        assertThat(images.resolve("a.png")).exists();
    }

    @Test
    void overItsBudgetTheFilesUsedLongestAgoGoFirstDownToNinetyPercent() throws IOException {
        Path images = cache.resolve("images");
        Path features = cache.resolve("features");
        // Last used 5, 4, 3, 2, 1 minutes ago; 1,000 bytes each.
        Path oldest = file(images.resolve("1.png"), 1000, 5);
        Path older = file(features.resolve("backbone/transform/2.f32"), 1000, 4);
        Path old = file(images.resolve("3.png"), 1000, 3);
        Path recent = file(features.resolve("backbone/transform/4.f32"), 1000, 2);
        Path newest = file(images.resolve("5.png"), 1000, 1);
        CacheBudget budget = new CacheBudget(List.of(images, features), 4000, CLOCK);

        // Over 4,000: evict down to 3,600, i.e. the two used longest ago (5,000 -> 3,000).
        CacheBudget.Trim trim = budget.trim();

        assertThat(trim).isEqualTo(new CacheBudget.Trim(5, 5000, 2, 2000, 3000));
        assertThat(oldest).doesNotExist();
        assertThat(older).doesNotExist();
        assertThat(List.of(old, recent, newest)).allSatisfy(path -> assertThat(path).exists());
        assertThat(budget.evictedBytes()).isEqualTo(2000);
        assertThat(budget.evictedFiles()).isEqualTo(2);
        assertThat(budget.bytes()).isEqualTo(3000);
    }

    @Test
    void aFileUsedAgainIsKeptOverOneWrittenLaterButNotUsedSince() throws IOException {
        Path images = cache.resolve("images");
        Path reused = file(images.resolve("reused.png"), 1000, 10);
        Path unused = file(images.resolve("unused.png"), 1000, 5);
        Path third = file(images.resolve("third.png"), 1000, 1);

        assertThat(CacheBudget.touch(reused)).isTrue();
        assertThat(CacheBudget.touch(images.resolve("evicted-already.png"))).isFalse();
        new CacheBudget(List.of(images), 2500).trim();

        assertThat(reused).exists();
        assertThat(third).exists();
        assertThat(unused).doesNotExist();
    }

    @Test
    void foldersEmptiedByEvictionAreRemovedButNotTheCacheFolders() throws IOException {
        Path features = cache.resolve("features");
        Path stale = file(features.resolve("old-backbone/transform/1.f32"), 1000, 60);
        file(features.resolve("new-backbone/transform/2.f32"), 1000, 1);

        new CacheBudget(List.of(features), 1500, CLOCK).trim();

        assertThat(stale.getParent().getParent()).doesNotExist();
        assertThat(features.resolve("new-backbone/transform/2.f32")).exists();

        Path only = file(cache.resolve("images/only.png"), 1000, 1);
        new CacheBudget(List.of(cache.resolve("images")), 10, CLOCK).trim();
        assertThat(only).doesNotExist();
        assertThat(cache.resolve("images")).isDirectory();
    }

    @Test
    void writesACrashInterruptedAreDeletedOnceStaleAndNeverCounted() throws IOException {
        Path images = cache.resolve("images");
        Path staleDownload = file(images.resolve(".download-123.part"), 5000, 61);
        Path staleFeature = file(images.resolve("abc123.partial"), 5000, 120);
        Path inProgress = file(images.resolve(".download-456.part"), 5000, 1);
        file(images.resolve("a.png"), 100, 30);

        CacheBudget.Trim trim = new CacheBudget(List.of(images), 0, CLOCK).trim();

        assertThat(staleDownload).doesNotExist();
        assertThat(staleFeature).doesNotExist();
        assertThat(inProgress).exists();
        assertThat(trim.bytesBefore()).isEqualTo(100);
    }

    @Test
    void aBudgetOfZeroKeepsEverythingAndAMissingFolderIsEmpty() throws IOException {
        Path images = cache.resolve("images");
        file(images.resolve("a.png"), 10_000, 1);

        assertThat(new CacheBudget(List.of(images), 0, CLOCK).trim().evictedFiles()).isZero();
        assertThat(new CacheBudget(List.of(cache.resolve("absent")), 1, CLOCK).trim())
                .isEqualTo(new CacheBudget.Trim(0, 0, 0, 0, 0));
    }

    /** A file of {@code size} bytes last used {@code minutesAgo} minutes before {@link #NOW}. */
    private static Path file(Path path, int size, int minutesAgo) throws IOException {
        Files.createDirectories(path.getParent());
        Files.write(path, new byte[size]);
        Files.setLastModifiedTime(path, FileTime.from(NOW.minus(Duration.ofMinutes(minutesAgo))));
        return path;
    }
}
