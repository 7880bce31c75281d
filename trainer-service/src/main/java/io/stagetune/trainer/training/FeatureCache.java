package io.stagetune.trainer.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import java.util.ArrayList;
import java.util.List;

/**
 * A frozen backbone's features of every image of a source, computed once with the eval transform in inference
 * mode. When the backbone does not train, the head sees the same features every epoch, so recomputing them (the
 * expensive part of a step) each epoch is wasted work; the price is that the head sees no augmentation.
 */
final class FeatureCache implements AutoCloseable {

    private final NDManager manager;
    private final NDArray features;
    private final NDArray labels;

    private FeatureCache(NDManager manager, NDArray features, NDArray labels) {
        this.manager = manager;
        this.features = features;
        this.labels = labels;
    }

    /** Features of every image of {@code source}, in a sub-manager of the model's (its device). */
    static FeatureCache compute(StageModel model, LabelledImageSource source, int batchSize) {
        NDManager manager = model.model().getNDManager().newSubManager();
        int[] order = BatchAssembler.identity(source.size());
        List<NDArray> featureBatches = new ArrayList<>();
        List<NDArray> labelBatches = new ArrayList<>();
        // Decoding batch k+1 overlaps the backbone's work on batch k.
        try (PrefetchingBatchAssembler assembler = new PrefetchingBatchAssembler(source, batchSize)) {
            for (int from = 0; from < order.length; from += batchSize) {
                try (NDManager step = manager.newSubManager()) {
                    TrainingBatch prepared = assembler.assemble(order, from, Math.min(from + batchSize, order.length),
                            null);
                    NDList batch = prepared.slice(step, 0, prepared.size());
                    NDArray embedded = model.embed(batch.get(0));
                    embedded.attach(manager);
                    batch.get(1).attach(manager);
                    featureBatches.add(embedded);
                    labelBatches.add(batch.get(1));
                }
            }
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
        NDArray features = NDArrays.concat(new NDList(featureBatches));
        NDArray labels = NDArrays.concat(new NDList(labelBatches));
        featureBatches.forEach(NDArray::close);
        labelBatches.forEach(NDArray::close);
        return new FeatureCache(manager, features, labels);
    }

    int size() {
        return Math.toIntExact(labels.size());
    }

    /** Features and labels of images {@code order[from..to)}, in {@code target}. */
    NDList batch(NDManager target, int[] order, int from, int to) {
        long[] indices = new long[to - from];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = order[from + i];
        }
        NDArray index = target.create(indices);
        NDList batch = new NDList(features.get(index), labels.get(index));
        batch.attach(target);
        return batch;
    }

    @Override
    public void close() {
        manager.close();
    }
}
