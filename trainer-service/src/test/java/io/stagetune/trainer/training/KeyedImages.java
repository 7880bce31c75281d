package io.stagetune.trainer.training;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

/**
 * The first images of a source with content keys (the sha256 of their eval pixels), as the worker's decoded dataset
 * images have (their file's sha256), so frozen-backbone features can outlive a stage.
 */
final class KeyedImages implements LabelledImageSource {

    private final LabelledImageSource source;
    private final int size;
    private final String[] keys;
    private final String transform;

    KeyedImages(LabelledImageSource source, int size, String transform) {
        this.source = source;
        this.size = Math.min(size, source.size());
        this.transform = transform;
        this.keys = new String[this.size];
        float[] pixels = new float[source.shape().floats()];
        for (int i = 0; i < this.size; i++) {
            source.fillForEvaluation(i, pixels, 0);
            ByteBuffer bytes = ByteBuffer.allocate(pixels.length * Float.BYTES);
            bytes.asFloatBuffer().put(pixels);
            keys[i] = sha256(bytes.array());
        }
    }

    KeyedImages(LabelledImageSource source, String transform) {
        this(source, source.size(), transform);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public ImageShape shape() {
        return source.shape();
    }

    @Override
    public int label(int index) {
        return source.label(index);
    }

    @Override
    public void fillForEvaluation(int index, float[] target, int offset) {
        source.fillForEvaluation(index, target, offset);
    }

    @Override
    public void fillForTraining(int index, float[] target, int offset, Random random) {
        source.fillForTraining(index, target, offset, random);
    }

    @Override
    public String contentKey(int index) {
        return keys[index];
    }

    @Override
    public String evalTransformId() {
        return transform;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
