package io.stagetune.evaluator.evaluation;

import io.stagetune.common.dataset.DatasetManifests;
import io.stagetune.common.dataset.ImageCache;
import io.stagetune.common.dataset.ManifestEntry;
import io.stagetune.common.events.Split;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
        List<ManifestEntry> entries = manifests.entries(split.datasetId(), split.datasetVersion()).stream()
                .filter(entry -> entry.split() == Split.TEST).toList();
        if (entries.isEmpty()) {
            throw new IllegalStateException(split + " has no images");
        }
        List<Path> files = cache.fetch(manifests.bucket(), entries);
        List<LabelledImage> images = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            images.add(new LabelledImage(files.get(i), entries.get(i).label()));
        }
        return images;
    }
}
