package io.stagetune.trainer.training;

import io.stagetune.common.checkpoint.HeadWeights;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A whole network's weights: the backbone as TorchScript bytes (buffers included) and the head. */
public record ModelWeights(byte[] backboneTorchScript, HeadWeights head) {

    public static final String BACKBONE_FILE = "backbone.pt";

    /** Writes {@code backbone.pt} and {@code head.safetensors} into {@code directory}. */
    public void writeTo(Path directory) throws IOException {
        Files.createDirectories(directory);
        Files.write(directory.resolve(BACKBONE_FILE), backboneTorchScript);
        head.write(directory.resolve(HeadWeights.FILE_NAME));
    }

    public static ModelWeights readFrom(Path directory) throws IOException {
        return new ModelWeights(Files.readAllBytes(directory.resolve(BACKBONE_FILE)),
                HeadWeights.read(directory.resolve(HeadWeights.FILE_NAME)));
    }
}
