package io.stagetune.evaluator.evaluation;

import io.stagetune.common.dataset.DatasetManifests;
import io.stagetune.common.dataset.ImageCache;
import io.stagetune.common.dataset.ManifestEntry;
import io.stagetune.common.events.Split;
import io.stagetune.common.image.DecodedImageFiles;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The test images of a dataset version, fetched from the object store through the local image cache. */
public final class TestSplitImages {

    private final DatasetManifests manifests;
    private final ImageCache cache;

    public TestSplitImages(DatasetManifests manifests, ImageCache cache) {
        this.manifests = manifests;
        this.cache = cache;
    }

    /** The split's images in manifest order, downloading those not cached yet. */
    public List<LabelledImage> fetch(TestSplit split) {
        return fetch(split, null);
    }

    /**
     * The split's images in manifest order with their content keys, downloading only those that {@code decoded}
     * (when not null) has no file of and that are not cached yet; the others come without a file.
     */
    public List<LabelledImage> fetch(TestSplit split, DecodedImageFiles decoded) {
        List<ManifestEntry> entries = manifests.entries(split.datasetId(), split.datasetVersion()).stream()
                .filter(entry -> entry.split() == Split.TEST).toList();
        if (entries.isEmpty()) {
            throw new IllegalStateException(split + " has no images");
        }
        Set<String> missing = decoded == null ? null
                : decoded.missing(entries.stream().map(ManifestEntry::sha256).toList());
        List<ManifestEntry> needed = missing == null ? entries
                : entries.stream().filter(entry -> missing.contains(entry.sha256())).toList();
        List<Path> files = cache.fetch(manifests.bucket(), needed);
        Map<String, Path> originals = new HashMap<>();
        for (int i = 0; i < needed.size(); i++) {
            originals.put(needed.get(i).sha256(), files.get(i));
        }
        List<LabelledImage> images = new ArrayList<>(entries.size());
        for (ManifestEntry entry : entries) {
            images.add(new LabelledImage(originals.get(entry.sha256()), entry.label(), entry.sha256()));
        }
        return images;
    }
}
