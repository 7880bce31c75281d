package io.stagetune.serving;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.stagetune.common.checkpoint.CheckpointManifest;
import io.stagetune.common.checkpoint.HeadWeights;
import io.stagetune.common.events.EventJson;
import io.stagetune.common.events.Stage;
import io.stagetune.common.image.Preprocessing;
import io.stagetune.common.registry.MoveAliasRequest;
import io.stagetune.common.registry.RegisterVersionRequest;
import io.stagetune.common.storage.ObjectStore;
import io.stagetune.testsupport.RegistryProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Checkpoints of the committed tiny backbone with seeded random heads (different seeds, different predictions),
 * stored as the trainer stores them, registered in the registry and put behind an alias as the evaluator does.
 */
public final class ServingFixtures {

    public static final String MODEL = "fashion";
    public static final Path ROOT = Path.of(System.getProperty("stagetune.fixtures", "../fixtures"));
    public static final Path TINY_BACKBONE = ROOT.resolve("backbones/resnet-tiny.pt");
    /** 28x28 images: resize to 36, crop 32, the smallest input the tiny ResNet takes. */
    public static final Preprocessing PREPROCESSING = Preprocessing.imagenet(36, 32);
    private static final int FEATURES = 64;
    private static final String BUCKET = "checkpoints";

    private ServingFixtures() {
    }

    /** The sample's test images, label folders and files in name order. */
    public static List<Path> testImages() throws IOException {
        List<Path> images = new ArrayList<>();
        try (Stream<Path> labels = Files.list(ROOT.resolve("fashion-mnist-sample/test"))) {
            for (Path label : labels.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> files = Files.list(label)) {
                    files.filter(file -> file.toString().endsWith(".png")).sorted().forEach(images::add);
                }
            }
        }
        return images;
    }

    public static List<String> labels() throws IOException {
        try (Stream<Path> labels = Files.list(ROOT.resolve("fashion-mnist-sample/test"))) {
            return labels.filter(Files::isDirectory).map(path -> path.getFileName().toString()).sorted().toList();
        }
    }

    /** Writes a checkpoint folder locally: the backbone, a head of seeded random weights, checkpoint.json last. */
    public static Path writeCheckpoint(Path folder, long seed, byte[] backbone) throws IOException {
        Files.createDirectories(folder);
        Files.write(folder.resolve(CheckpointManifest.BACKBONE_FILE), backbone);
        List<String> labels = labels();
        Random random = new Random(seed);
        float[] weight = new float[labels.size() * FEATURES];
        for (int i = 0; i < weight.length; i++) {
            weight[i] = (float) random.nextGaussian();
        }
        float[] bias = new float[labels.size()];
        new HeadWeights(labels, FEATURES, weight, bias).write(folder.resolve(CheckpointManifest.HEAD_FILE));
        CheckpointManifest manifest = new CheckpointManifest(CheckpointManifest.FORMAT_VERSION, MODEL, "run-" + seed,
                Stage.HEAD, 0, Stage.DEFAULT_PLAN, "shop", 1, labels, 1, 1, 0.5, PREPROCESSING, null,
                "s3://checkpoints/_backbones/resnet-tiny.pt", Map.of(), Instant.parse("2026-01-01T00:00:00Z"));
        Files.write(folder.resolve(CheckpointManifest.FILE), EventJson.writeBytes(manifest));
        return folder;
    }

    /** Uploads a local checkpoint folder as run {@code run-<seed>}'s HEAD stage; returns its URI. */
    public static String upload(ObjectStore store, Path folder, long seed) {
        store.ensureBucket(BUCKET);
        String prefix = MODEL + "/run-" + seed + "/head/";
        // checkpoint.json last: a stage is complete only once it is there.
        for (String file : List.of(CheckpointManifest.BACKBONE_FILE, CheckpointManifest.HEAD_FILE,
                CheckpointManifest.FILE)) {
            store.put(BUCKET, prefix + file, folder.resolve(file), "application/octet-stream");
        }
        return "s3://" + BUCKET + "/" + prefix;
    }

    /** Registers a checkpoint as the model's next version; returns the version number. */
    public static long register(String checkpoint) {
        try {
            RegisterVersionRequest request = new RegisterVersionRequest("run", Stage.HEAD, checkpoint, null, null,
                    null, null, null, labels(), null);
            return RestAssured.given().auth().oauth2(RegistryProcess.EVALUATOR_TOKEN).contentType(ContentType.JSON)
                    .body(EventJson.write(request))
                    .post(ServingTestResource.registryUrl() + "/models/" + MODEL + "/versions")
                    .then().statusCode(201).extract().jsonPath().getLong("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Points {@code production} at a version; returns once the registry has committed the move. */
    public static void promote(long version) {
        moveAlias("production", version);
    }

    /** Points an alias at a version; returns once the registry has committed the move. */
    public static void moveAlias(String alias, long version) {
        RestAssured.given().auth().oauth2(RegistryProcess.ADMIN_TOKEN).contentType(ContentType.JSON)
                .body(EventJson.write(new MoveAliasRequest(version, "test", null)))
                .put(ServingTestResource.registryUrl() + "/models/" + MODEL + "/aliases/" + alias)
                .then().statusCode(200);
    }
}
