package io.stagetune.serving.service;

import io.stagetune.common.events.PipelineEvent;
import io.stagetune.common.events.PredictionMade;
import io.stagetune.common.events.PredictionMade.ImagePrediction;
import io.stagetune.common.events.PredictionMade.LabelProbability;
import io.stagetune.common.image.ContentHash;
import io.stagetune.common.image.ImageFormat;
import io.stagetune.common.image.ImageInspector;
import io.stagetune.common.image.Preprocessor;
import io.stagetune.common.image.RejectedFileException;
import io.stagetune.common.storage.ObjectStore;
import io.stagetune.common.storage.ObjectStoreException;
import io.stagetune.serving.api.PredictionResponse;
import io.stagetune.serving.api.PredictionResponse.ImageResult;
import io.stagetune.serving.config.ServingConfig;
import io.stagetune.serving.model.ServedModel;
import io.stagetune.serving.model.ServedModels;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

/**
 * Answers prediction requests. Every image is checked (size, format, pixels: the same decoder and reasons as
 * ingest) and decoded before the model is touched, so bad input is refused whole and nothing of it is predicted
 * or logged. The request then holds the model's current version until it has its answer, preprocesses with that
 * checkpoint's own transform and joins a shared batch; the answer, the metrics and the {@code predictions} event
 * all name the version that computed it. The {@code predictions} event also carries the shadow version's answer
 * when the model has one ({@link ShadowRunner}); the HTTP answer never waits for it nor shows it.
 */
@ApplicationScoped
public class PredictionService {

    private static final Logger LOG = Logger.getLogger(PredictionService.class);

    /** One image as received: the part's file name (may be null) and its bytes. */
    public record IncomingImage(String name, byte[] bytes) {
    }

    private final ServedModels served;
    private final ShadowRunner shadows;
    private final ServingMetrics metrics;
    private final ServingConfig config;
    private final ObjectStore store;
    private final ImageInspector inspector;
    private volatile boolean imagesBucketReady;

    public PredictionService(ServedModels served, ShadowRunner shadows, ServingMetrics metrics, ServingConfig config,
                             ObjectStore store) {
        this.served = served;
        this.shadows = shadows;
        this.metrics = metrics;
        this.config = config;
        this.store = store;
        this.inspector = new ImageInspector(config.limits().maxPixels());
    }

    public PredictionResponse predict(String model, List<IncomingImage> images, int k) {
        long started = System.nanoTime();
        String version = ServingMetrics.NO_VERSION;
        String outcome = "error";
        try {
            List<BufferedImage> decoded = validate(model, images, k);
            try (ServedModels.Lease lease = served.acquire(model).orElseThrow(() -> new PredictionException(503,
                    "not-loaded", "model '" + model + "' has no version loaded yet; try again shortly"))) {
                ServedModel current = lease.model();
                version = Long.toString(current.version());
                PredictionResponse response = predict(current, images, decoded, k, started);
                outcome = "ok";
                return response;
            }
        } catch (PredictionException e) {
            outcome = e.code();
            throw e;
        } finally {
            metrics.request(model, version, outcome, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private List<BufferedImage> validate(String model, List<IncomingImage> images, int k) {
        if (!config.models().contains(model)) {
            throw new PredictionException(404, "unknown-model", "unknown model '" + model
                    + "': this service serves " + config.models());
        }
        if (images.isEmpty()) {
            throw new PredictionException(400, "no-image", "no image: send one as multipart part 'image', several "
                    + "as parts 'images', or one as the raw body with an image content type");
        }
        if (images.size() > config.limits().maxImages()) {
            throw new PredictionException(413, "too-many-images", images.size()
                    + " images exceed the limit of " + config.limits().maxImages() + " per request");
        }
        if (k < 1 || k > config.limits().maxK()) {
            throw new PredictionException(400, "bad-k", "k must be between 1 and " + config.limits().maxK()
                    + ", got " + k);
        }
        List<BufferedImage> decoded = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            IncomingImage image = images.get(i);
            String name = describe(image, i);
            if (image.bytes().length == 0) {
                throw new PredictionException(400, "empty", name + " is empty");
            }
            if (image.bytes().length > config.limits().maxImageBytes()) {
                throw new PredictionException(413, "too-large", name + " has " + image.bytes().length
                        + " bytes, the limit is " + config.limits().maxImageBytes());
            }
            try {
                decoded.add(inspector.decode(image.bytes()));
            } catch (RejectedFileException e) {
                throw new PredictionException(422, e.code(), name + " rejected: " + e.getMessage());
            }
        }
        return decoded;
    }

    private PredictionResponse predict(ServedModel current, List<IncomingImage> images, List<BufferedImage> decoded,
                                       int k, long started) {
        Preprocessor preprocessor = current.preprocessor();
        int floats = preprocessor.outputLength();
        float[] inputs = new float[decoded.size() * floats];
        for (int i = 0; i < decoded.size(); i++) {
            preprocessor.evalTransform(decoded.get(i), inputs, i * floats);
        }
        float[][] logits;
        try {
            logits = current.forward(inputs, decoded.size()).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while predicting", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("prediction failed: " + e.getCause().getMessage(), e.getCause());
        }
        UUID predictionId = UUID.randomUUID();
        List<ImageResult> results = new ArrayList<>(images.size());
        List<ImagePrediction> logged = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            List<LabelProbability> top = topK(current.labels(), logits[i], k);
            String sha256 = ContentHash.sha256(images.get(i).bytes());
            results.add(new ImageResult(images.get(i).name(), sha256, top));
            logged.add(new ImagePrediction(sha256, top, keep(current.model(), sha256, images.get(i).bytes())));
            metrics.predicted(current.model(), top.get(0).label());
        }
        double latencyMs = (System.nanoTime() - started) / 1e6;
        shadows.publish(new PredictionMade(PipelineEvent.newId(), PipelineEvent.SCHEMA_VERSION, PipelineEvent.now(),
                predictionId, current.model(), current.version(), config.alias(), logged, latencyMs,
                current.datasetId(), null), current, decoded, inputs, logits);
        return new PredictionResponse(predictionId, current.model(), current.version(), config.alias(), results);
    }

    /** The k most probable labels (softmax of the head's outputs), most probable first; ties by label order. */
    static List<LabelProbability> topK(List<String> labels, float[] logits, int k) {
        double max = Double.NEGATIVE_INFINITY;
        for (float value : logits) {
            max = Math.max(max, value);
        }
        double[] probabilities = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            probabilities[i] = Math.exp(logits[i] - max);
            sum += probabilities[i];
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < logits.length; i++) {
            order.add(i);
        }
        order.sort((a, b) -> Double.compare(probabilities[b], probabilities[a]));
        List<LabelProbability> top = new ArrayList<>();
        for (int i = 0; i < Math.min(k, logits.length); i++) {
            int label = order.get(i);
            top.add(new LabelProbability(labels.get(label), probabilities[label] / sum));
        }
        return top;
    }

    /** Keeps the image for later labelling when configured; a failure to keep it does not fail the prediction. */
    private boolean keep(String model, String sha256, byte[] bytes) {
        if (!config.images().keep()) {
            return false;
        }
        try {
            if (!imagesBucketReady) {
                store.ensureBucket(config.images().bucket());
                imagesBucketReady = true;
            }
            store.putIfAbsent(config.images().bucket(), model + "/" + sha256, bytes,
                    ImageFormat.sniff(bytes).contentType());
            return true;
        } catch (ObjectStoreException e) {
            LOG.warnf("image %s of model %s not kept: %s", sha256, model, e.getMessage());
            return false;
        }
    }

    private static String describe(IncomingImage image, int index) {
        return image.name() == null || image.name().isBlank() ? "image " + (index + 1)
                : "image '" + image.name() + "'";
    }
}
