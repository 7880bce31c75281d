package io.stagetune.common.storage;

import io.stagetune.common.dataset.ImageCache;
import io.stagetune.common.dataset.ManifestEntry;
import io.stagetune.common.events.Split;
import io.stagetune.localstack.infrastructure.EmbeddedS3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link CacheBudget} over pipeline-common's {@link ImageCache} fetching from a real S3 API (S3Proxy). */
class CacheBudgetOnStoreTest {

    @TempDir
    Path cache;

    @Test
    void theImageCacheOnARealStoreRefetchesWhatWasEvictedAndKeepsWhatItJustUsed() throws IOException {
        try (EmbeddedS3 s3 = EmbeddedS3.start()) {
            ObjectStore store = new ObjectStore(s3.settings());
            store.ensureBucket("datasets");
            List<ManifestEntry> first = upload(store, "first", 0);
            List<ManifestEntry> second = upload(store, "second", 100);
            Path images = cache.resolve("images");
            ImageCache imageCache = new ImageCache(store, images, 2);
            CacheBudget budget = new CacheBudget(List.of(images), 5 * 2048);

            List<Path> firstFiles = imageCache.fetch("datasets", first);
            age(firstFiles, 10);
            List<Path> secondFiles = imageCache.fetch("datasets", second);
            age(secondFiles, 5);
            // The first dataset is used again: its files are now the most recent.
            assertThat(imageCache.fetch("datasets", first)).isEqualTo(firstFiles);
            CacheBudget.Trim trim = budget.trim();

            assertThat(trim.bytesBefore()).isEqualTo(8 * 2048);
            assertThat(trim.bytesAfter()).isLessThanOrEqualTo(5 * 2048 * 9 / 10);
            assertThat(firstFiles).allSatisfy(path -> assertThat(path).exists());
            assertThat(secondFiles).allSatisfy(path -> assertThat(path).doesNotExist());
            assertThat(imageCache.downloadsNeeded(second)).isEqualTo(4);

            List<Path> again = imageCache.fetch("datasets", second);
            for (int i = 0; i < second.size(); i++) {
                assertThat(Files.readAllBytes(again.get(i)))
                        .isEqualTo(store.get("datasets", second.get(i).key()));
            }
        }
    }

    private static List<ManifestEntry> upload(ObjectStore store, String dataset, int seed) {
        List<ManifestEntry> entries = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            byte[] bytes = new byte[2048];
            new Random(seed + i).nextBytes(bytes);
            String sha = HexFormat.of().formatHex(sha256(bytes));
            String key = dataset + "/images/" + sha + ".png";
            store.put("datasets", key, bytes, "image/png");
            entries.add(new ManifestEntry(key, sha, "label", Split.TRAIN, 1, 1));
        }
        return entries;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void age(List<Path> files, int minutesAgo) throws IOException {
        for (Path file : files) {
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofMinutes(minutesAgo))));
        }
    }
}
