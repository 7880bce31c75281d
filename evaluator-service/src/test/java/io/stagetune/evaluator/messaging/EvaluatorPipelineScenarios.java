package io.stagetune.evaluator.messaging;

import io.restassured.RestAssured;
import io.stagetune.common.Topics;
import io.stagetune.common.checkpoint.CheckpointManifest;
import io.stagetune.common.dataset.DatasetManifests;
import io.stagetune.common.dataset.ManifestEntry;
import io.stagetune.localstack.infrastructure.EmbeddedKafka;
import io.stagetune.localstack.infrastructure.EmbeddedS3;
import io.stagetune.testsupport.InjectKafka;
import io.stagetune.testsupport.InjectS3;
import io.stagetune.testsupport.PrometheusText;
import io.stagetune.testsupport.TopicEvents;
import io.stagetune.common.events.CheckpointPublished;
import io.stagetune.common.events.EvaluationCompleted;
import io.stagetune.common.events.EventJson;
import io.stagetune.common.events.ModelPromoted;
import io.stagetune.common.events.PipelineEvent;
import io.stagetune.common.events.Split;
import io.stagetune.common.events.Stage;
import io.stagetune.common.storage.ObjectKeys;
import io.stagetune.common.storage.ObjectStore;
import io.stagetune.evaluator.evaluation.EvaluationFixtures;
import io.stagetune.evaluator.evaluation.LabelledImage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checkpoint events through a real broker, store and registry: evaluation, registration, promotion of the first
 * model, redelivery changing nothing, a worse candidate rejected with its reasons and paired statistics, stored
 * predictions reused by the next decision, and a registry outage that delays a decision without losing it. Checkpoints are made without training (nearest-class-mean heads on the
 * committed tiny backbone); a head fitted on shuffled labels is the bad candidate. The registry runs on H2 here
 * ({@link EvaluatorPipelineTest}) and on PostgreSQL ({@link EvaluatorPipelineOnPostgresTest}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class EvaluatorPipelineScenarios {

    private static final String MODEL = "fashion";
    /** Run-1's best stage, production after the first scenario: its predictions on the test split. */
    private static final String PRODUCTION_PREDICTIONS = "fashion/run-1/full/predictions/shop.v1.json.gz";
    /** The sample's 200 test images in batches of 32. */
    private static final int BATCHES_PER_SPLIT = 7;

    @InjectKafka
    protected EmbeddedKafka kafka;

    @InjectS3
    EmbeddedS3 s3;

    @TempDir
    static Path scratch;

    private static List<LabelledImage> train;

    @BeforeAll
    static void sample() throws Exception {
        train = EvaluationFixtures.sample("train");
    }

    @Test
    @Order(1)
    void firstRunIsEvaluatedRegisteredAndPromoted() throws Exception {
        ObjectStore store = storeDataset();
        // HEAD leads by 2 points on the dataset's validation images, less than one standard error of 0.72 on them:
        // the later stage is the candidate.
        CheckpointPublished head = checkpoint(store, "run-1", Stage.HEAD, false, train, 0.72);
        CheckpointPublished full = checkpoint(store, "run-1", Stage.FULL, true, train, 0.70);
        TopicEvents.publish(kafka.bootstrapServers(), head);
        TopicEvents.publish(kafka.bootstrapServers(), full);

        List<EvaluationCompleted> results = results("run-1", 2, Duration.ofMinutes(2));
        assertThat(results).hasSize(2);
        assertThat(results.get(0).promotion()).isNull();
        assertThat(results.get(0).accuracy()).isGreaterThan(0.3);
        assertThat(results.get(0).imagesEvaluated()).isEqualTo(200);
        assertThat(results.get(0).perClassAccuracy()).hasSize(10);
        EvaluationCompleted last = results.get(1);
        assertThat(last.promotion().promoted()).isTrue();
        assertThat(last.promotion().candidateVersion()).as("the latest stage within validation noise of the best")
                .isEqualTo(last.modelVersion());
        assertThat(last.promotion().reasons()).anySatisfy(reason -> assertThat(reason).contains("no production"));

        var version = RestAssured.get(PipelineTestResource.registryUrl() + "/models/fashion/aliases/production/version")
                .jsonPath();
        assertThat(version.getLong("version")).isEqualTo(last.modelVersion());
        assertThat(version.getString("checkpoint")).isEqualTo(full.checkpoint());
        assertThat(version.getList("metrics.perClass")).hasSize(10);
        assertThat(version.getList("lineage.checkpoint")).contains(head.checkpoint());
        List<PipelineEvent> modelEvents = TopicEvents.read(kafka.bootstrapServers(), Topics.MODEL_EVENTS, MODEL, 2,
                Duration.ofSeconds(20));
        assertThat(modelEvents).anySatisfy(event -> assertThat(event).isInstanceOf(ModelPromoted.class));

        String metrics = RestAssured.get("/q/metrics").asString();
        assertThat(metrics).contains("evaluator_class_accuracy{label=\"coat\",model=\"fashion\",role=\"candidate\"}")
                .as("the first promoted version is production's quality")
                .contains("evaluator_accuracy{model=\"fashion\",role=\"production\"} " + last.accuracy())
                .contains("evaluator_class_accuracy{label=\"coat\",model=\"fashion\",role=\"production\"}")
                .contains("evaluator_promotion_decisions_total{model=\"fashion\",outcome=\"promoted\",reason=\"none\"}");
        // The test budget (64K) is below a test split: each evaluation evicted, and the next fetched again.
        assertThat(PrometheusText.value(metrics, "evaluator_cache_max_bytes")).isEqualTo(64 * 1024);
        assertThat(PrometheusText.value(metrics, "evaluator_cache_evicted_bytes_total")).isPositive();
        assertThat(PrometheusText.value(metrics, "evaluator_cache_bytes")).isPositive()
                .isLessThanOrEqualTo(64 * 1024 * 0.9);
        // The first evaluation decoded the split's 200 images, the second read the decoded files the trim had kept.
        assertThat(PrometheusText.value(metrics, "evaluator_images_decoded_total")).isGreaterThanOrEqualTo(200)
                .isLessThan(400);

        // Redelivery: no second version, no second decision, the same result again.
        TopicEvents.publish(kafka.bootstrapServers(), full);
        List<EvaluationCompleted> again = results("run-1", 3, Duration.ofMinutes(1));
        assertThat(again).hasSize(3);
        assertThat(again.get(2).modelVersion()).isEqualTo(last.modelVersion());
        assertThat(again.get(2).promotion()).isEqualTo(last.promotion());
        assertThat(RestAssured.get(PipelineTestResource.registryUrl() + "/models/fashion/versions").jsonPath()
                .getList("version")).hasSize(2);
        assertThat(RestAssured.get(PipelineTestResource.registryUrl() + "/models/fashion/promotions").jsonPath()
                .getList("id")).hasSize(1);
    }

    @Test
    @Order(2)
    void aWorseCandidateIsRejectedWithItsReasons() throws Exception {
        ObjectStore store = new ObjectStore(s3.settings());
        long production = productionVersion();
        // Production as a version evaluated before predictions were kept: the decision evaluates it once more.
        assertThat(store.exists("checkpoints", PRODUCTION_PREDICTIONS)).as("kept when run-1 was evaluated").isTrue();
        store.delete("checkpoints", PRODUCTION_PREDICTIONS);
        double passesBefore = forwardPasses();
        TopicEvents.publish(kafka.bootstrapServers(),
                checkpoint(store, "run-2", Stage.FULL, true, shuffledLabels(train), 0.9));

        EvaluationCompleted result = results("run-2", 1, Duration.ofMinutes(2)).get(0);
        assertThat(result.promotion().promoted()).isFalse();
        assertThat(result.promotion().productionVersion()).isEqualTo(production);
        assertThat(result.promotion().reasons()).anySatisfy(reason -> assertThat(reason)
                .startsWith("accuracy").contains("on 200 paired images").contains("does not beat production"));
        assertThat(result.promotion().reasons()).anySatisfy(reason -> assertThat(reason)
                .contains("drop exceeds max-class-drop 0.050 with confidence"));
        assertThat(productionVersion()).isEqualTo(production);
        assertThat(forwardPasses() - passesBefore).as("the candidate and production, one split each")
                .isEqualTo(2 * BATCHES_PER_SPLIT);
        assertThat(store.exists("checkpoints", PRODUCTION_PREDICTIONS)).as("stored again").isTrue();

        var decision = RestAssured.get(PipelineTestResource.registryUrl() + "/models/fashion/promotions?candidateVersion="
                + result.promotion().candidateVersion()).jsonPath();
        assertThat(decision.getString("[0].statistics.policy")).isEqualTo("paired");
        assertThat(decision.getInt("[0].statistics.overall.images")).isEqualTo(200);
        assertThat(decision.getString("[0].statistics.overall.verdict")).isEqualTo("FAIL");
        assertThat(decision.getList("[0].statistics.perClass.verdict")).hasSize(10).contains("FAIL");
        // The rejected candidate becomes the shadow (evaluator.promotion.shadow-alias), to be measured on live traffic.
        assertThat(RestAssured.get(PipelineTestResource.registryUrl() + "/models/fashion/aliases/shadow/version")
                .then().statusCode(200).extract().jsonPath().getLong("version"))
                .isEqualTo(result.promotion().candidateVersion());
    }

    @Test
    @Order(3)
    void aSecondDecisionAgainstTheSameProductionEvaluatesOnlyItsCandidate() throws Exception {
        ObjectStore store = new ObjectStore(s3.settings());
        double passesBefore = forwardPasses();
        TopicEvents.publish(kafka.bootstrapServers(), checkpoint(store, "run-4", Stage.FULL, true, train, 0.75));

        EvaluationCompleted result = results("run-4", 1, Duration.ofMinutes(2)).get(0);
        assertThat(result.promotion().productionVersion()).isEqualTo(productionVersion());
        assertThat(forwardPasses() - passesBefore).as("production's stored predictions are reused")
                .isEqualTo(BATCHES_PER_SPLIT);
        assertThat(store.exists("checkpoints", "fashion/run-4/full/predictions/shop.v1.json.gz")).isTrue();
    }

    @Test
    @Order(4)
    void aRegistryOutageDelaysTheDecisionButDoesNotLoseIt() throws Exception {
        ObjectStore store = new ObjectStore(s3.settings());
        CheckpointPublished event = checkpoint(store, "run-3", Stage.FULL, true, train, 0.8);
        PipelineTestResource.stopRegistry();
        try {
            TopicEvents.publish(kafka.bootstrapServers(), event);
            assertThat(results("run-3", 1, Duration.ofSeconds(8))).as("nothing while the registry is down").isEmpty();
        } finally {
            PipelineTestResource.startRegistry();
        }
        List<EvaluationCompleted> results = results("run-3", 1, Duration.ofMinutes(3));
        assertThat(results).hasSize(1);
        assertThat(results.get(0).promotion()).isNotNull();
    }

    private static double forwardPasses() {
        return PrometheusText.value(RestAssured.get("/q/metrics").asString(), "evaluator_forward_passes_total");
    }

    private long productionVersion() {
        return RestAssured.get(PipelineTestResource.registryUrl() + "/models/fashion/aliases/production/version")
                .jsonPath().getLong("version");
    }

    private List<EvaluationCompleted> results(String runId, int expected, Duration wait) {
        return TopicEvents.read(kafka.bootstrapServers(), Topics.EVALUATION_RESULTS, runId, expected, wait).stream()
                .map(EvaluationCompleted.class::cast).toList();
    }

    /**
     * Dataset shop v1 as the ingest service lays it out: the sample's train images (every fifth in the validation
     * split) and its test images.
     */
    private ObjectStore storeDataset() throws Exception {
        ObjectStore store = new ObjectStore(s3.settings());
        store.ensureBucket("datasets");
        store.ensureBucket("checkpoints");
        List<ManifestEntry> entries = new ArrayList<>();
        for (int i = 0; i < train.size(); i++) {
            entries.add(upload(store, train.get(i), i % 5 == 0 ? Split.VAL : Split.TRAIN));
        }
        for (LabelledImage image : EvaluationFixtures.sample("test")) {
            entries.add(upload(store, image, Split.TEST));
        }
        store.put("datasets", ObjectKeys.manifest("shop", 1), DatasetManifests.format(entries),
                "application/x-ndjson");
        return store;
    }

    private static ManifestEntry upload(ObjectStore store, LabelledImage image, Split split) throws Exception {
        byte[] bytes = Files.readAllBytes(image.file());
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        String key = ObjectKeys.image("shop", sha, "png");
        store.put("datasets", key, bytes, "image/png");
        return new ManifestEntry(key, sha, image.label(), split, 28, 28);
    }

    /** A checkpoint folder in the store (head fitted on {@code fit}) and the event announcing it. */
    private static CheckpointPublished checkpoint(ObjectStore store, String runId, Stage stage, boolean last,
                                                  List<LabelledImage> fit, double valAccuracy) throws Exception {
        Path local = EvaluationFixtures.writeCheckpoint(scratch.resolve(runId + "-" + stage),
                EvaluationFixtures.TINY_BACKBONE, fit, EvaluationFixtures.PREPROCESSING);
        List<String> labels = fit.stream().map(LabelledImage::label).distinct().sorted().toList();
        String prefix = MODEL + "/" + runId + "/" + stage.pathName() + "/";
        String parent = stage == Stage.FULL && runId.equals("run-1") ? "s3://checkpoints/" + MODEL + "/run-1/head/"
                : null;
        CheckpointManifest manifest = new CheckpointManifest(CheckpointManifest.FORMAT_VERSION, MODEL, runId, stage,
                stage == Stage.HEAD ? 0 : 1, List.of(Stage.HEAD, Stage.FULL), "shop", 1, labels, 1, 1, valAccuracy,
                EvaluationFixtures.PREPROCESSING, parent, "s3://checkpoints/_backbones/resnet-tiny.pt", Map.of(),
                Instant.now());
        Files.write(local.resolve(CheckpointManifest.FILE), EventJson.writeBytes(manifest));
        for (String file : List.of(CheckpointManifest.BACKBONE_FILE, CheckpointManifest.HEAD_FILE,
                CheckpointManifest.FILE)) {
            store.put("checkpoints", prefix + file, local.resolve(file), "application/octet-stream");
        }
        return new CheckpointPublished(UUID.randomUUID(), 1, Instant.now(), runId, MODEL, "shop", 1,
                List.of(Stage.HEAD, Stage.FULL), manifest.stageIndex(), stage, last, "s3://checkpoints/" + prefix,
                parent, manifest.baseBackbone(), labels, 1, valAccuracy);
    }

    /** The same images with every label moved to the next class: a head that has learnt nothing useful. */
    private static List<LabelledImage> shuffledLabels(List<LabelledImage> images) {
        List<String> labels = images.stream().map(LabelledImage::label).distinct().sorted().toList();
        return images.stream().map(image -> new LabelledImage(image.file(),
                labels.get((labels.indexOf(image.label()) + 1) % labels.size()))).toList();
    }
}
