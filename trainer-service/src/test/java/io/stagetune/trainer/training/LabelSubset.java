package io.stagetune.trainer.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** The images of some labels of a source, with labels renumbered in the subset's order. */
final class LabelSubset implements LabelledImageSource {

    private final LabelledImageSource source;
    private final List<Integer> indices = new ArrayList<>();
    private final List<Integer> labels = new ArrayList<>();

    LabelSubset(LabelledImageSource source, List<Integer> keptLabels) {
        this.source = source;
        for (int i = 0; i < source.size(); i++) {
            int position = keptLabels.indexOf(source.label(i));
            if (position >= 0) {
                indices.add(i);
                labels.add(position);
            }
        }
    }

    @Override
    public int size() {
        return indices.size();
    }

    @Override
    public ImageShape shape() {
        return source.shape();
    }

    @Override
    public int label(int index) {
        return labels.get(index);
    }

    @Override
    public void fillForEvaluation(int index, float[] target, int offset) {
        source.fillForEvaluation(indices.get(index), target, offset);
    }

    @Override
    public void fillForTraining(int index, float[] target, int offset, Random random) {
        source.fillForTraining(indices.get(index), target, offset, random);
    }
}
