package io.stagetune.trainer.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * A frozen backbone's features of every image of a source, computed once with the eval transform in inference
 * mode. When the backbone does not train, the head sees the same features every epoch, so recomputing them (the
 * expensive part of a step) each epoch is wasted work; the price is that the head sees no augmentation. A
 * {@link FeatureStore} keeps them for later stages and runs from the same backbone.
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

    /**
     * Features of every image of {@code source}, in a sub-manager of the model's (its device). With a
     * {@code store}, and content keys from the source, features found there are reused and the others computed and
     * added to it.
     */
    static FeatureCache compute(StageModel model, LabelledImageSource source, int batchSize,
                                FeatureStore.Namespace store, PreprocessingPool pool) {
        NDManager manager = model.model().getNDManager().newSubManager();
        try {
            if (store == null || source.size() == 0 || source.contentKey(0) == null) {
                List<NDArray> batches = new ArrayList<>();
                embed(model, source, BatchAssembler.identity(source.size()), batchSize, pool, manager,
                        (from, embedded) -> {
                            embedded.attach(manager);
                            batches.add(embedded);
                        });
                NDArray features = NDArrays.concat(new NDList(batches));
                batches.forEach(NDArray::close);
                return new FeatureCache(manager, features, labels(source, manager));
            }
            int length = model.features();
            float[] values = new float[source.size() * length];
            List<Integer> missing = new ArrayList<>();
            for (int i = 0; i < source.size(); i++) {
                float[] stored = store.get(source.contentKey(i), length);
                if (stored == null) {
                    missing.add(i);
                } else {
                    System.arraycopy(stored, 0, values, i * length, length);
                }
            }
            int[] order = missing.stream().mapToInt(Integer::intValue).toArray();
            embed(model, source, order, batchSize, pool, manager, (from, embedded) -> {
                float[] batch = embedded.toFloatArray();
                for (int row = 0; row < batch.length / length; row++) {
                    int index = order[from + row];
                    System.arraycopy(batch, row * length, values, index * length, length);
                    store.put(source.contentKey(index), batch, row * length, length);
                }
            });
            return new FeatureCache(manager, manager.create(values, new Shape(source.size(), length)),
                    labels(source, manager));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Runs images {@code order} through the backbone in batches, handing each batch's features to {@code sink}. */
    private static void embed(StageModel model, LabelledImageSource source, int[] order, int batchSize,
                              PreprocessingPool pool, NDManager manager, BiConsumer<Integer, NDArray> sink) {
        // Decoding batch k+1 overlaps the backbone's work on batch k.
        try (PrefetchingBatchAssembler assembler = new PrefetchingBatchAssembler(source, batchSize, pool)) {
            for (int from = 0; from < order.length; from += batchSize) {
                try (NDManager step = manager.newSubManager()) {
                    TrainingBatch prepared = assembler.assemble(order, from, Math.min(from + batchSize, order.length),
                            null);
                    sink.accept(from, model.embed(prepared.slice(step, 0, prepared.size()).get(0)));
                }
            }
        }
    }

    private static NDArray labels(LabelledImageSource source, NDManager manager) {
        float[] labels = new float[source.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = source.label(i);
        }
        return manager.create(labels);
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
