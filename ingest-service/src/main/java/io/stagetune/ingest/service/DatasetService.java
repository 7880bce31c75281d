package io.stagetune.ingest.service;

import io.stagetune.common.dataset.DatasetVersion;
import io.stagetune.common.storage.ObjectKeys;
import io.stagetune.ingest.Dataset;
import io.stagetune.ingest.DatasetVersionRecord;
import io.stagetune.ingest.api.DatasetView;
import io.stagetune.ingest.repository.DatasetRepository;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** Datasets as they are committed, read from the database on every call: every replica answers the same. */
@ApplicationScoped
public class DatasetService {

    private final DatasetRepository datasets;

    public DatasetService(DatasetRepository datasets) {
        this.datasets = datasets;
    }

    public List<DatasetView.Summary> list() {
        return datasets.datasetsWithImages().stream()
                .map(dataset -> DatasetView.Summary.of(view(dataset)))
                .toList();
    }

    /** The dataset's labels, counts, staged images and versions; a 404 when it has no images. */
    public DatasetView view(String datasetId) {
        requireDatasetId(datasetId);
        DatasetView view = datasets.find(datasetId).map(this::view).orElse(null);
        if (view == null || (view.latestVersion() == 0 && view.staged() == 0)) {
            throw new IngestException(404, "dataset '" + datasetId + "' has no images");
        }
        return view;
    }

    public DatasetVersion version(String datasetId, int version) {
        view(datasetId);
        return datasets.version(datasetId, version).map(DatasetVersionRecord::summary).orElseThrow(() ->
                new IngestException(404, "dataset '" + datasetId + "' has no version " + version));
    }

    private DatasetView view(Dataset dataset) {
        List<DatasetVersion> versions = datasets.versions(dataset.id()).stream()
                .map(DatasetVersionRecord::summary).toList();
        return DatasetView.of(dataset.id(), versions, datasets.stagedCount(dataset.id()));
    }

    static void requireDatasetId(String datasetId) {
        try {
            ObjectKeys.requireName("dataset id", datasetId);
        } catch (IllegalArgumentException e) {
            throw IngestException.badRequest(e.getMessage());
        }
    }
}
