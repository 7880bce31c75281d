package io.stagetune.trainer.worker;

import io.stagetune.common.checkpoint.CheckpointManifest;
import io.stagetune.common.dataset.DatasetManifests;
import io.stagetune.common.dataset.DatasetVersion;
import io.stagetune.common.dataset.ManifestEntry;
import io.stagetune.common.events.EventJson;
import io.stagetune.common.events.Split;
import io.stagetune.common.storage.ObjectKeys;
import io.stagetune.common.storage.ObjectStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Puts a dataset version in the store the way the ingest service lays it out, from the committed Fashion-MNIST
 * sample: per label, the sample's train images split 4:1 into train and val, its test images as test.
 */
public final class TrainingDataset {

    public static final String BACKBONE_URI = "s3://checkpoints/_backbones/resnet-tiny.pt";

    private TrainingDataset() {
    }

    public static Path repositoryFile(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
        }
        throw new IllegalStateException(relative + " not found");
    }

    public static void uploadBackbone(ObjectStore store) {
        store.ensureBucket("checkpoints");
        store.put("checkpoints", "_backbones/resnet-tiny.pt", repositoryFile("fixtures/backbones/resnet-tiny.pt"),
                "application/octet-stream");
    }

    public static void create(ObjectStore store, String datasetId, int version, List<String> labels) throws IOException {
        create(store, datasetId, version, labels, true);
    }

    /** Without validation images when {@code withValidation} is false (a client that named only train and test). */
    static void create(ObjectStore store, String datasetId, int version, List<String> labels, boolean withValidation)
            throws IOException {
        store.ensureBucket("datasets");
        Path sample = repositoryFile("fixtures/fashion-mnist-sample");
        List<ManifestEntry> entries = new ArrayList<>();
        Map<String, Map<Split, Integer>> counts = new TreeMap<>();
        for (String label : labels) {
            List<Path> train = list(sample.resolve("train").resolve(label));
            for (int i = 0; i < train.size(); i++) {
                entries.add(put(store, datasetId, label, withValidation && i % 5 == 4 ? Split.VAL : Split.TRAIN, train.get(i)));
            }
            for (Path file : list(sample.resolve("test").resolve(label))) {
                entries.add(put(store, datasetId, label, Split.TEST, file));
            }
        }
        entries.forEach(entry -> counts.computeIfAbsent(entry.label(), l -> new EnumMap<>(Split.class))
                .merge(entry.split(), 1, Integer::sum));
        store.put("datasets", ObjectKeys.manifest(datasetId, version), DatasetManifests.format(entries),
                "application/x-ndjson");
        DatasetVersion summary = new DatasetVersion(datasetId, version, null, Instant.now(),
                ObjectKeys.manifest(datasetId, version), entries.size(), List.copyOf(counts.keySet()), counts,
                Map.of(), List.of(), null);
        store.put("datasets", ObjectKeys.versionSummary(datasetId, version), EventJson.writeBytes(summary),
                "application/json");
    }

    public static CheckpointManifest manifest(ObjectStore store, String checkpointUri) {
        String key = checkpointUri.substring("s3://checkpoints/".length()) + CheckpointManifest.FILE;
        return EventJson.readDocument(store.get("checkpoints", key), CheckpointManifest.class);
    }

    private static ManifestEntry put(ObjectStore store, String datasetId, String label, Split split, Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            String key = ObjectKeys.image(datasetId, sha, "png");
            store.put("datasets", key, bytes, "image/png");
            return new ManifestEntry(key, sha, label, split, 28, 28);
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Path> list(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.sorted().toList();
        }
    }
}
