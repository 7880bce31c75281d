package io.stagetune.inference;

import io.stagetune.common.checkpoint.CheckpointManifest;
import io.stagetune.common.storage.ObjectStore;
import io.stagetune.common.storage.ObjectUri;

import java.nio.file.Path;
import java.util.List;

/** Copies a checkpoint folder ({@code s3://<bucket>/<model>/<runId>/<stage>/}) to local disk for loading. */
public final class CheckpointDownloader {

    private final ObjectStore store;

    public CheckpointDownloader(ObjectStore store) {
        this.store = store;
    }

    /**
     * Downloads {@code checkpoint.json}, the backbone and the head into {@code directory} and returns it. The
     * manifest comes first: without it the folder is incomplete and nothing is downloaded.
     */
    public Path download(String checkpointUri, Path directory) {
        ObjectUri folder = ObjectUri.parse(checkpointUri);
        String manifestKey = folder.resolve(CheckpointManifest.FILE).key();
        if (!store.exists(folder.bucket(), manifestKey)) {
            throw new IllegalStateException("checkpoint " + checkpointUri + " is incomplete: no "
                    + CheckpointManifest.FILE);
        }
        for (String file : List.of(CheckpointManifest.FILE, CheckpointManifest.BACKBONE_FILE,
                CheckpointManifest.HEAD_FILE)) {
            store.download(folder.bucket(), folder.resolve(file).key(), directory.resolve(file));
        }
        return directory;
    }
}
