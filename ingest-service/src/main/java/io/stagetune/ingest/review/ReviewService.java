package io.stagetune.ingest.review;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.stagetune.common.dataset.DatasetVersion;
import io.stagetune.common.dataset.ManifestEntry.Provenance;
import io.stagetune.common.events.PredictionMade;
import io.stagetune.common.events.PredictionMade.ImagePrediction;
import io.stagetune.common.events.Split;
import io.stagetune.common.image.ImageFormat;
import io.stagetune.common.storage.ObjectKeys;
import io.stagetune.common.storage.ObjectStore;
import io.stagetune.ingest.ConsumerOffset;
import io.stagetune.ingest.ReviewItem;
import io.stagetune.ingest.api.FileOutcome;
import io.stagetune.ingest.api.LiveView;
import io.stagetune.ingest.api.ReviewItemView;
import io.stagetune.ingest.api.UploadResult;
import io.stagetune.ingest.repository.DatasetRepository;
import io.stagetune.ingest.repository.ImageObjects;
import io.stagetune.ingest.service.IngestException;
import io.stagetune.ingest.service.UploadService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The review queue of production predictions and the labels people give them. Picking happens as
 * {@code predictions} are consumed ({@link #apply}: one transaction per record, with the record's offset, so a
 * redelivered record changes nothing). A label goes into the model's dataset through the ingest path itself
 * ({@link UploadService#stageLabelled}: the same validation, dedupe and split assignment, staged with its
 * provenance); staged labels become a dataset version when {@code batch-size} of them are waiting, or when the oldest
 * has waited {@code batch-max-wait}, so labelling never creates one version per label. All state is in the
 * database: any replica lists, labels and seals.
 */
@ApplicationScoped
public class ReviewService {

    private static final Logger LOG = Logger.getLogger(ReviewService.class);
    static final String CONSUMER = "ingest-review";

    private final ReviewRepository reviews;
    private final DatasetRepository datasets;
    private final UploadService uploads;
    private final ObjectStore store;
    private final ReviewConfig config;
    private final ReviewMetrics metrics;

    public ReviewService(ReviewRepository reviews, DatasetRepository datasets, UploadService uploads,
                         ImageObjects objects, ReviewConfig config, ReviewMetrics metrics) {
        this.reviews = reviews;
        this.datasets = datasets;
        this.uploads = uploads;
        this.store = objects.store();
        this.config = config;
        this.metrics = metrics;
    }

    /** The item id of the image at {@code index} of a prediction with {@code count} images. */
    public static String itemId(PredictionMade prediction, int index) {
        return prediction.images().size() == 1 ? prediction.predictionId().toString()
                : prediction.predictionId() + "." + (index + 1);
    }

    /**
     * Applies one {@code predictions} record: picks its images for review and counts the shadow's agreement. A
     * record at an offset this consumer has applied already is skipped.
     */
    @Transactional
    public void apply(String topicPartition, long offset, PredictionMade prediction) {
        Optional<ConsumerOffset> applied = reviews.offsetForUpdate(CONSUMER, topicPartition);
        if (applied.isPresent() && offset < applied.get().nextOffset()) {
            return;
        }
        pick(prediction);
        countShadow(prediction);
        metrics.applied(prediction.model());
        if (applied.isPresent()) {
            applied.get().applied(offset);
        } else {
            reviews.addOffset(new ConsumerOffset(CONSUMER, topicPartition, offset + 1));
        }
    }

    private void pick(PredictionMade prediction) {
        ReviewConfig.Policy policy = config.policy(prediction.model());
        Instant at = prediction.occurredAt();
        for (int i = 0; i < prediction.images().size(); i++) {
            ImagePrediction image = prediction.images().get(i);
            if (image.top().isEmpty()) {
                continue;
            }
            String itemId = itemId(prediction, i);
            PredictionMade.LabelProbability top = image.top().get(0);
            Optional<ReviewItem.Reason> reason = ReviewPicker.pick(policy, itemId, top.probability(),
                    () -> new ReviewPicker.Counts(reviews.openOf(prediction.model(), top.label()),
                            reviews.uncertainPicksBetween(prediction.model(), at.minus(Duration.ofHours(1)), at)));
            if (reason.isEmpty()) {
                continue;
            }
            if (!image.imageKept()) {
                metrics.notPicked(prediction.model(), "image-not-kept");
                continue;
            }
            if (reviews.find(prediction.model(), itemId).isPresent()) {
                continue;
            }
            PredictionMade.Shadow shadow = prediction.shadow();
            boolean shadowAnswered = shadow != null && shadow.top1().size() > i;
            reviews.add(new ReviewItem(prediction.model(), itemId, prediction.predictionId().toString(),
                    prediction.version(), prediction.datasetId(), image.sha256(), reason.get(), top.label(),
                    top.probability(), ReviewItemView.topJson(image.top()),
                    shadowAnswered ? shadow.version() : null, shadowAnswered ? shadow.top1().get(i).label() : null,
                    at, Instant.now().truncatedTo(ChronoUnit.MICROS)));
            metrics.picked(prediction.model(), reason.get());
        }
    }

    private void countShadow(PredictionMade prediction) {
        PredictionMade.Shadow shadow = prediction.shadow();
        if (shadow == null) {
            return;
        }
        for (int i = 0; i < Math.min(shadow.top1().size(), prediction.images().size()); i++) {
            List<PredictionMade.LabelProbability> top = prediction.images().get(i).top();
            if (top.isEmpty()) {
                continue;
            }
            String production = top.get(0).label();
            reviews.agreement(prediction.model(), prediction.version(), shadow.version(), production)
                    .count(production.equals(shadow.top1().get(i).label()));
        }
    }

    @Transactional
    public ReviewItemView.Queue queue(String model, String predictedLabel, String reason, String state, int limit) {
        requireModel(model);
        if (limit < 1 || limit > 1000) {
            throw IngestException.badRequest("limit must be between 1 and 1000, got " + limit);
        }
        ReviewItem.State wanted = switch (state == null ? "open" : state.toLowerCase(Locale.ROOT)) {
            case "open" -> ReviewItem.State.OPEN;
            case "labelled", "labeled" -> ReviewItem.State.LABELLED;
            case "all" -> null;
            default -> throw IngestException.badRequest("state must be open, labelled or all, got '" + state + "'");
        };
        List<ReviewItemView> items = reviews.list(model, predictedLabel, reason(reason), wanted, limit).stream()
                .map(ReviewItemView::of).toList();
        return new ReviewItemView.Queue(model, reviews.open(model), items);
    }

    /** The kept image of an item, with its content type. */
    public record Image(byte[] bytes, String contentType) {
    }

    public Image image(String model, String itemId) {
        ReviewItem item = item(model, itemId);
        byte[] bytes = keptImage(item);
        return new Image(bytes, ImageFormat.sniff(bytes).contentType());
    }

    /**
     * Labels an item: stages its image in the model's dataset with its provenance, marks the item labelled and seals
     * a version when the batch is full. The same label again answers the same; another label for a labelled item is
     * a conflict. A crash between staging and marking is repaired by the retry: the image is then a duplicate.
     */
    public ReviewItemView.Labelled label(String model, String itemId, String label, String reviewer) {
        ReviewItem item = item(model, itemId);
        if (item.state() == ReviewItem.State.LABELLED) {
            return alreadyLabelled(item, label);
        }
        if (label == null || !ObjectKeys.NAME.matcher(label).matches()) {
            throw new IngestException(422, "label '" + label + "' for item " + itemId + " must match "
                    + ObjectKeys.NAME.pattern());
        }
        ReviewConfig.Policy policy = config.policy(model);
        String datasetId = policy.dataset().orElse(item.datasetId());
        if (datasetId == null) {
            throw new IngestException(409, "model '" + model + "' names no dataset for its labels: its predictions "
                    + "carry none; set ingest.review.models.\"" + model + "\".dataset");
        }
        List<String> known = datasets.find(datasetId).isEmpty() ? List.of() : knownLabels(datasetId);
        if (!policy.allowNewLabels() && !known.isEmpty() && !known.contains(label)) {
            throw new IngestException(422, "label '" + label + "' for item " + itemId + " is not one of dataset "
                    + datasetId + "'s labels " + known + " (set ingest.review.models.\"" + model
                    + "\".allow-new-labels=true to accept new labels)");
        }
        byte[] bytes = keptImage(item);
        Split split = item.reason() == ReviewItem.Reason.AUDIT && !policy.auditInTraining() ? Split.AUDIT : null;
        Provenance provenance = new Provenance("production", item.predictionId(), itemId, model, item.modelVersion(),
                reviewer, item.reason().name().toLowerCase(Locale.ROOT));
        UploadResult staged = uploads.stageLabelled(datasetId, itemId, bytes, label, split, provenance);
        FileOutcome outcome = staged.files().get(0);
        if (outcome.status() == FileOutcome.Status.rejected) {
            throw new IngestException("label-conflict".equals(outcome.code()) ? 409 : 422,
                    "item " + itemId + " not labelled: " + outcome.reason());
        }
        boolean marked = QuarkusTransaction.requiringNew().call(() -> {
            ReviewItem locked = reviews.findForUpdate(model, itemId).orElseThrow();
            if (locked.state() == ReviewItem.State.LABELLED) {
                return false;
            }
            locked.labelled(label, reviewer, Instant.now().truncatedTo(ChronoUnit.MICROS));
            return true;
        });
        if (!marked) {
            return alreadyLabelled(reviews.find(model, itemId).orElseThrow(), label);
        }
        metrics.labelled(model, item.reason());
        Integer version = null;
        if (datasets.stagedLabels(datasetId) >= policy.batchSize()) {
            version = uploads.seal(datasetId).map(DatasetVersion::version).orElse(null);
        }
        return new ReviewItemView.Labelled(itemId, label, "labelled", reviewer, datasetId,
                outcome.split() == null ? null : outcome.split().pathName(), outcome.status().name(), version);
    }

    /** Seals the staged images of the model's dataset now, whatever the batch size. */
    public Optional<DatasetVersion> seal(String model) {
        requireModel(model);
        String datasetId = config.policy(model).dataset().orElseGet(() -> reviews.list(model, null, null,
                        ReviewItem.State.LABELLED, 1).stream().map(ReviewItem::datasetId).findFirst().orElse(null));
        if (datasetId == null) {
            return Optional.empty();
        }
        return uploads.seal(datasetId);
    }

    /** Seals datasets whose oldest staged label has waited longer than its model's {@code batch-max-wait}. */
    @Scheduled(every = "${ingest.review.seal-every:30s}", delayed = "${ingest.review.seal-every:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sealWaitingLabels() {
        // A dataset's staged labels are sealed together: the shortest wait any model asks for applies.
        Duration wait = config.models().values().stream()
                .map(overrides -> overrides.batchMaxWait().orElse(config.defaults().batchMaxWait()))
                .reduce(config.defaults().batchMaxWait(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
        try {
            for (String datasetId : datasets.datasetsWithLabelsStagedBefore(Instant.now().minus(wait))) {
                uploads.seal(datasetId).ifPresent(version -> LOG.infof("sealed dataset %s v%d from labels staged "
                        + "longer than %s", datasetId, version.version(), wait));
            }
        } catch (RuntimeException e) {
            LOG.warnf("staged labels not sealed this time: %s", e.getMessage());
        }
    }

    @Transactional
    public LiveView live(String model, Long version, Integer window) {
        requireModel(model);
        int size = window == null ? config.policy(model).window() : window;
        if (size < 1 || size > 100_000) {
            throw IngestException.badRequest("window must be between 1 and 100000 labels, got " + size);
        }
        long served = version != null ? version : reviews.newestAuditedVersion(model).orElseThrow(() ->
                new IngestException(404, "model '" + model + "' has no audit labels yet"));
        List<ReviewItem> audited = reviews.auditLabels(model, served, size);
        if (audited.isEmpty()) {
            throw new IngestException(404, "model '" + model + "' version " + served + " has no audit labels yet");
        }
        return LiveFigures.of(model, served, size, audited, reviews.agreements(model, served));
    }

    private ReviewItemView.Labelled alreadyLabelled(ReviewItem item, String label) {
        if (!item.label().equals(label)) {
            throw new IngestException(409, "item " + item.itemId() + " of model " + item.model()
                    + " is already labelled '" + item.label() + "' by " + item.reviewer() + "; not relabelled '"
                    + label + "'");
        }
        return new ReviewItemView.Labelled(item.itemId(), item.label(), "labelled", item.reviewer(),
                item.datasetId(), null, "duplicate", null);
    }

    private ReviewItem item(String model, String itemId) {
        requireModel(model);
        return QuarkusTransaction.requiringNew().call(() -> reviews.find(model, itemId)).orElseThrow(() ->
                new IngestException(404, "model '" + model + "' has no review item '" + itemId + "'"));
    }

    private byte[] keptImage(ReviewItem item) {
        return store.find(config.imagesBucket(), item.model() + "/" + item.sha256()).orElseThrow(() ->
                new IngestException(409, "the image of item " + item.itemId() + " is no longer kept in bucket "
                        + config.imagesBucket()));
    }

    private List<String> knownLabels(String datasetId) {
        return datasets.versions(datasetId).stream().reduce((a, b) -> b)
                .map(version -> version.summary().labels()).orElse(List.of());
    }

    private void requireModel(String model) {
        try {
            ObjectKeys.requireName("model", model);
        } catch (IllegalArgumentException e) {
            throw IngestException.badRequest(e.getMessage());
        }
        if (!config.models().containsKey(model)
                && !QuarkusTransaction.joiningExisting().call(() -> reviews.hasItems(model))) {
            throw new IngestException(404, "unknown model '" + model + "': no prediction of it was picked for "
                    + "review and it has no ingest.review.models entry");
        }
    }

    private static ReviewItem.Reason reason(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "uncertain" -> ReviewItem.Reason.UNCERTAIN;
            case "audit" -> ReviewItem.Reason.AUDIT;
            default -> throw IngestException.badRequest("reason must be uncertain or audit, got '" + text + "'");
        };
    }
}
