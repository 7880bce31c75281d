package io.stagetune.trainer.training;

import java.util.Random;

/** Seeded random images held in memory, for throughput measurements where the pixels do not matter. */
final class RandomImageSource implements LabelledImageSource {

    private final ImageShape shape;
    private final float[][] images;
    private final int[] labels;

    RandomImageSource(int count, int side, int classes, long seed) {
        this.shape = new ImageShape(3, side, side);
        Random random = new Random(seed);
        images = new float[count][shape.floats()];
        labels = new int[count];
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < shape.floats(); j++) {
                images[i][j] = (float) random.nextGaussian();
            }
            labels[i] = random.nextInt(classes);
        }
    }

    @Override
    public int size() {
        return images.length;
    }

    @Override
    public ImageShape shape() {
        return shape;
    }

    @Override
    public int label(int index) {
        return labels[index];
    }

    @Override
    public void fillForEvaluation(int index, float[] target, int offset) {
        System.arraycopy(images[index], 0, target, offset, shape.floats());
    }

    // A copy stands in for the train transform: the benchmark measures the trainer, not the augmentation.
    @Override
    public void fillForTraining(int index, float[] target, int offset, Random random) {
        fillForEvaluation(index, target, offset);
    }
}
