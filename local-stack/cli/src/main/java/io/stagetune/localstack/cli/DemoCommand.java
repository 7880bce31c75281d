package io.stagetune.localstack.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.stagetune.common.data.FashionMnist;
import io.stagetune.common.events.EvaluationCompleted;
import io.stagetune.common.registry.Metrics;
import io.stagetune.common.registry.PromotionView;
import io.stagetune.common.registry.RunView;
import io.stagetune.common.registry.VersionView;
import io.stagetune.localstack.LocalStack;
import io.stagetune.localstack.cli.client.FolderUpload;
import io.stagetune.localstack.cli.client.IngestClient;
import io.stagetune.localstack.cli.client.LiveFigures;
import io.stagetune.localstack.cli.client.RegistryClient;
import io.stagetune.localstack.cli.client.RunFollower;
import io.stagetune.localstack.cli.client.ServingClient;
import io.stagetune.localstack.cli.demo.DemoData;
import io.stagetune.localstack.cli.demo.FeedbackLoop;
import io.stagetune.localstack.cli.format.ClassMetricsTable;
import io.stagetune.localstack.cli.format.ConfusionMatrixFormat;
import io.stagetune.localstack.cli.format.PromotionStatisticsTable;
import io.stagetune.localstack.cli.format.Formats;
import io.stagetune.localstack.cli.format.LiveFiguresTable;
import io.stagetune.localstack.cli.format.TextTable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * The whole pipeline in one command: starts the local stack, pretrains a base backbone on Fashion-MNIST's source
 * classes (or reuses it), ingests the target classes through the REST API, lets the event-triggered run go
 * HEAD → LAYER4 → FULL, shows the evaluation and the promotion, then ingests a second batch whose run is promoted
 * or rejected with its reasons.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Runs the whole pipeline on Fashion-MNIST: pretrains a base ResNet on classes 0-4 (t-shirt, trouser,"
                    + " pullover, dress, coat), or reuses it; uploads classes 5-9 (sandal, shirt, sneaker, bag,"
                    + " ankle-boot) through the ingest API; the upload triggers a run HEAD -> LAYER4 -> FULL, every"
                    + " checkpoint is evaluated per class and the best is promoted; a second batch of images then"
                    + " triggers a second run, which continues from production and is promoted or rejected with its"
                    + " reasons.",
            "Uses the full Fashion-MNIST where the Debian package dataset-fashion-mnist is installed (or --data),"
                    + " else the bundled subset fixtures/fashion-mnist-demo (5,000 training and 1,000 test images,"
                    + " and the recipe's lines for a subset: see --show-recipe). About 6 minutes on 2 CPU cores"
                    + " with the full dataset."})
final class DemoCommand implements Callable<Integer> {

    private static final String RECIPE = "demo-recipe.properties";
    /** Prefix of the recipe's lines for a subset of Fashion-MNIST (the bundled one): fewer images, more epochs. */
    private static final String SUBSET = "subset.";
    /**
     * The review policy of the demo's --loop: a high audit share so that a few hundred predictions give live figures
     * per class, a high uncertainty threshold so that enough are picked for training, and batches that seal only
     * when the demo says so (one new dataset version, one run).
     */
    private static final Map<String, String> LOOP_INGEST = Map.of("ingest.review.audit-percent", "20",
            "ingest.review.uncertainty-below", "0.9", "ingest.review.batch-size", "10000",
            "ingest.review.batch-max-wait", "1h");
    private static final String LOOP_INGEST_TEXT = "ingest.review.audit-percent=20,"
            + " ingest.review.uncertainty-below=0.9, ingest.review.batch-size=10000, ingest.review.batch-max-wait=1h";
    /** With --loop, a version of a few dozen labelled training images is enough for a run (default: 100). */
    private static final String LOOP_MIN_NEW_IMAGES = "10";

    @Mixin
    StackOptions stack;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Fashion-MNIST: a folder with the IDX files (all of them, or a subset such as"
                    + " fixtures/fashion-mnist-demo), or one laid out like the tests' PNG sample"
                    + " (train/<class>/*.png, test/<class>/*.png). Default: $STAGETUNE_FASHION_MNIST_DIR, else"
                    + " /usr/share/datasets/fashion-mnist if installed, else fixtures/fashion-mnist-demo.")
    Path data;

    @Option(names = "--repository", defaultValue = ".",
            description = "Repository root with the services' builds and the fixtures (default: ${DEFAULT-VALUE}).")
    Path repository;

    @Option(names = "--model", defaultValue = "fashion",
            description = "Name of the fine-tuned model; a later demo in the same data folder appends -2, -3, ..."
                    + " (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--base-model", defaultValue = "fashion-base",
            description = "Name of the pretrained base model, reused when it has a production version"
                    + " (default: ${DEFAULT-VALUE}).")
    String baseModel;

    @Option(names = "--source-per-class", paramLabel = "N",
            description = "Training images per source class for pretraining (default: 3000; bundled subset: 400;"
                    + " PNG sample: 45).")
    Integer sourcePerClass;

    @Option(names = "--per-class", paramLabel = "N",
            description = "Labelled images per target class in the first batch (default: 1000; bundled subset: 350;"
                    + " PNG sample: 30).")
    Integer firstBatch;

    @Option(names = "--second-batch", paramLabel = "N",
            description = "Further images per target class in the second batch, 0 for none (default: 2000;"
                    + " bundled subset: 150; PNG sample: 20).")
    Integer secondBatch;

    @Option(names = "--val-per-class", paramLabel = "N",
            description = "Validation images per class (default: 200; bundled subset: 50; PNG sample: 10).")
    Integer validation;

    @Option(names = "--test-per-class", paramLabel = "N",
            description = "Official test images per class (default: 1000, all of them; bundled subset: 100;"
                    + " PNG sample: 20).")
    Integer test;

    @Option(names = "--backbone", paramLabel = "FILE", defaultValue = "fixtures/backbones/resnet-small.pt",
            description = "The fresh TorchScript backbone the base is pretrained from, relative to --repository"
                    + " (default: ${DEFAULT-VALUE}, random weights).")
    Path backbone;

    @Option(names = "--trainer-property", paramLabel = "KEY=VALUE",
            description = "Overrides a line of the demo's trainer recipe (repeatable; see --show-recipe).")
    Map<String, String> trainerProperties = new LinkedHashMap<>();

    @Option(names = "--evaluator-property", paramLabel = "KEY=VALUE",
            description = "Evaluator configuration, e.g. evaluator.promotion.significance=0.01 (repeatable).")
    Map<String, String> evaluatorProperties = new LinkedHashMap<>();

    @Option(names = "--loop",
            description = "After the story, the feedback loop: traffic of target-class images the dataset does not"
                    + " hold hits the served model; the review queue's items are labelled from the known truth"
                    + " (standing in for a person) and sealed into a new dataset version, which triggers a run;"
                    + " the gate decides; traffic again; the live per-class accuracy from audit labels before and"
                    + " after is printed (lines starting with 'live'). On the bundled subset the second batch"
                    + " then leaves --traffic-per-class images per class to the traffic.")
    boolean loop;

    @Option(names = "--traffic-per-class", paramLabel = "N", defaultValue = "100",
            description = "With --loop: traffic images per target class, half before the loop's run and half"
                    + " after (default: ${DEFAULT-VALUE}).")
    int trafficPerClass;

    @Option(names = "--ingest-property", paramLabel = "KEY=VALUE",
            description = "Ingest configuration, e.g. ingest.review.audit-percent=10 (repeatable). With --loop the"
                    + " demo sets " + LOOP_INGEST_TEXT + ".")
    Map<String, String> ingestProperties = new LinkedHashMap<>();

    @Option(names = "--free-ports",
            description = "Run Kafka, S3 and the services on free ports instead of the defaults (beside a running"
                    + " `pipeline up`).")
    boolean freePorts;

    @Option(names = "--keep-running", description = "Keep the stack running after the demo, until Ctrl-C.")
    boolean keepRunning;

    @Option(names = "--show-recipe", description = "Print the demo's trainer recipe and exit.")
    boolean showRecipe;

    @Option(names = "--timeout", defaultValue = "PT1H",
            description = "Give up on a run after this long (ISO-8601, default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private long began;
    private PrintWriter out;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (showRecipe) {
            out.print(recipeText());
            out.flush();
            return 0;
        }
        began = System.nanoTime();
        Path root = repository.toAbsolutePath().normalize();
        Path dataDirectory = stack.dataDirectory.toAbsolutePath().normalize();
        DemoData.Origin origin = origin(root);
        if (origin == null) {
            err.println("no Fashion-MNIST in " + data + ": expected the IDX files (train-images-idx3-ubyte[.gz],"
                    + " train-labels-idx1-ubyte[.gz], t10k-...) or the folders train/<class> and test/<class>");
            return 2;
        }
        if (loop && trafficPerClass < 2) {
            err.println("--traffic-per-class must be at least 2 (half before the loop's run, half after), not "
                    + trafficPerClass);
            return 2;
        }
        DemoData.Sizes sizes = sizes(origin.defaults());
        String invalid = sizes.invalid();
        if (invalid != null) {
            err.println(invalid);
            return 2;
        }
        Properties state = loadState(dataDirectory);
        int earlier = Integer.parseInt(state.getProperty("demos", "0"));
        String target = earlier == 0 ? model : model + "-" + (earlier + 1);
        String sourceDataset = baseModel + "-source";
        String targetDataset = target + "-target";

        step("Data: " + origin.description());
        Path images = dataDirectory.resolve("demo").resolve("images-" + target);
        Map<String, Integer> counts = DemoData.write(origin, sizes, images);
        out.printf("  %s: source classes %s, target classes %s%n", images, DemoData.SOURCE_CLASSES,
                DemoData.TARGET_CLASSES);
        out.printf("  per class: %d source training, %d + %d target training (two batches), %d validation,"
                + " %d test images (%s in all)%n", sizes.source(), sizes.firstBatch(), sizes.secondBatch(),
                sizes.validation(), sizes.test(), counts);
        if (loop) {
            Map<String, Integer> traffic = DemoData.writeTraffic(origin, sizes, trafficPerClass, images);
            out.printf("  traffic for the loop: %s target-class images the batches did not take%n", traffic);
            if (traffic.values().stream().anyMatch(count -> count < 2)) {
                err.println("--loop needs at least 2 traffic images of each target class; " + origin.description()
                        + " has no more after the batches: lower --second-batch or --per-class");
                return 2;
            }
        }

        LocalStack.Settings settings = LocalStack.Settings.defaults(root).withDataDirectory(dataDirectory);
        if (freePorts) {
            settings = settings.onFreePorts();
        }
        Path freshBackbone = root.resolve(backbone);
        String backboneUri = "s3://checkpoints/_backbones/" + freshBackbone.getFileName();
        settings = settings
                .withProperties(LocalStack.Service.TRAINER, recipe(Map.of("{base}", baseModel, "{model}", target,
                        "{source}", sourceDataset, "{target}", targetDataset, "{backbone}", backboneUri),
                        origin.defaults() == DemoData.Sizes.FULL))
                .withProperties(LocalStack.Service.EVALUATOR, evaluatorProperties)
                .withProperties(LocalStack.Service.INGEST, ingestProperties(target, targetDataset))
                .withProperties(LocalStack.Service.SERVING, Map.of("serving.models", target));
        step("Starting the pipeline: Kafka, S3, model-registry, ingest, trainer, evaluator, serving (logs in "
                + dataDirectory.resolve("logs") + ")");
        LocalStack running = LocalStack.start(settings, line -> {
            out.println("  " + line);
            out.flush();
        });
        try {
            running.uploadBackbone(freshBackbone);
            out.println("  console: " + running.url(LocalStack.Service.REGISTRY)
                    + "/ (runs with live curves, versions, decisions)");
            Demo demo = new Demo(running, err, dataDirectory.resolve("logs"));
            if (!demo.pretrainBase(baseModel, sourceDataset, images.resolve("source"), target)) {
                return 1;
            }
            step("Fine-tuning model '" + target + "' on the target classes, first batch");
            Optional<EvaluationCompleted> first = demo.ingestAndFollow(target, targetDataset,
                    images.resolve("target-1"));
            if (first.isEmpty()) {
                return 1;
            }
            state.setProperty("demos", Integer.toString(earlier + 1));
            saveState(dataDirectory, state);
            demo.showDecision(target, first.get());
            demo.classify(target, images.resolve("target-1/test"));
            if (sizes.secondBatch() > 0) {
                step("A second batch of images for model '" + target + "': a new dataset version, a new run");
                Optional<EvaluationCompleted> second = demo.ingestAndFollow(target, targetDataset,
                        images.resolve("target-2"));
                if (second.isEmpty()) {
                    return 1;
                }
                demo.showDecision(target, second.get());
                demo.classify(target, images.resolve("target-1/test"));
            }
            if (loop && !demo.loop(target, targetDataset, images)) {
                return 1;
            }
            step("Done: model '" + target + "'");
            demo.summary(target);
            if (keepRunning) {
                out.println("The pipeline keeps running (Ctrl-C stops it). Try: ./pipeline report " + target
                        + ", or the console at " + running.url(LocalStack.Service.REGISTRY) + "/console/models/"
                        + target);
                out.flush();
                Thread.currentThread().join();
            }
            return 0;
        } finally {
            running.close();
        }
    }

    private DemoData.Origin origin(Path root) {
        if (data != null) {
            if (FashionMnist.isInstalled(data)) {
                return DemoData.idx(data);
            }
            return Files.isDirectory(data.resolve("train")) && Files.isDirectory(data.resolve("test"))
                    ? DemoData.sample(data) : null;
        }
        Path installed = FashionMnist.defaultDirectory();
        return DemoData.idx(FashionMnist.isInstalled(installed) ? installed : root.resolve(DemoData.BUNDLED));
    }

    /**
     * The sizes from the options, else the origin's defaults; with --loop on a subset (whose batches take every
     * target-class image of the training file) the default second batch leaves the traffic its images.
     */
    private DemoData.Sizes sizes(DemoData.Sizes defaults) {
        int second = loop && defaults != DemoData.Sizes.FULL
                ? Math.max(0, defaults.secondBatch() - trafficPerClass) : defaults.secondBatch();
        return new DemoData.Sizes(or(sourcePerClass, defaults.source()), or(firstBatch, defaults.firstBatch()),
                or(secondBatch, second), or(validation, defaults.validation()), or(test, defaults.test()));
    }

    /**
     * The ingest's configuration: with --loop the loop's review policy, the model's labels going to its training
     * dataset; then the --ingest-property overrides.
     */
    private Map<String, String> ingestProperties(String model, String dataset) {
        Map<String, String> properties = new LinkedHashMap<>();
        if (loop) {
            properties.putAll(LOOP_INGEST);
            properties.put("ingest.review.models.\"" + model + "\".dataset", dataset);
        }
        properties.putAll(ingestProperties);
        return properties;
    }

    private static int or(Integer value, int otherwise) {
        return value == null ? otherwise : value;
    }

    private static String recipeText() throws IOException {
        try (InputStream recipe = DemoCommand.class.getResourceAsStream(RECIPE)) {
            return new String(recipe.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * The recipe with names filled in, its {@value #SUBSET} lines applied unless the demo runs on the full dataset,
     * then the --trainer-property overrides.
     */
    private Map<String, String> recipe(Map<String, String> names, boolean full) throws IOException {
        Properties recipe = new Properties();
        recipe.load(new StringReader(recipeText()));
        Map<String, String> properties = new LinkedHashMap<>();
        Map<String, String> subset = new LinkedHashMap<>();
        for (String key : recipe.stringPropertyNames()) {
            String value = fill(recipe.getProperty(key), names);
            if (key.startsWith(SUBSET)) {
                subset.put(fill(key.substring(SUBSET.length()), names), value);
            } else {
                properties.put(fill(key, names), value);
            }
        }
        if (!full) {
            properties.putAll(subset);
        }
        if (loop) {
            properties.put("trainer.planner.min-new-images", LOOP_MIN_NEW_IMAGES);
        }
        properties.putAll(trainerProperties);
        return properties;
    }

    private static String fill(String text, Map<String, String> names) {
        for (Map.Entry<String, String> name : names.entrySet()) {
            text = text.replace(name.getKey(), name.getValue());
        }
        return text;
    }

    private static Properties loadState(Path dataDirectory) throws IOException {
        Properties state = new Properties();
        Path file = dataDirectory.resolve("demo/state.properties");
        if (Files.exists(file)) {
            try (Reader reader = Files.newBufferedReader(file)) {
                state.load(reader);
            }
        }
        return state;
    }

    private static void saveState(Path dataDirectory, Properties state) throws IOException {
        Path file = dataDirectory.resolve("demo/state.properties");
        Files.createDirectories(file.getParent());
        try (Writer writer = Files.newBufferedWriter(file)) {
            state.store(writer, "pipeline demo: how many demos ran in this data folder");
        }
    }

    private void step(String text) {
        long seconds = (System.nanoTime() - began) / 1_000_000_000L;
        out.printf("%n[%d:%02d] %s%n", seconds / 60, seconds % 60, text);
        out.flush();
    }

    /** The demo's steps against a running stack. */
    private final class Demo {

        private final LocalStack stack;
        private final PrintWriter err;
        private final Path logs;
        private final FolderUpload upload;
        private final RegistryClient registry;

        Demo(LocalStack stack, PrintWriter err, Path logs) {
            this.stack = stack;
            this.logs = logs;
            this.err = err;
            this.upload = new FolderUpload(stack.url(LocalStack.Service.INGEST), stack.secrets().ingestToken());
            this.registry = new RegistryClient(stack.url(LocalStack.Service.REGISTRY), null);
        }

        /** Pretrains the base model unless it has a production version; false when that failed. */
        boolean pretrainBase(String base, String dataset, Path folder, String model) throws Exception {
            Optional<VersionView> production = production(base);
            if (production.isPresent()) {
                step(String.format(Locale.ROOT, "Base model '%s': reusing production version %d (test accuracy %.4f"
                        + " on the source classes)", base, production.get().version(),
                        production.get().metrics().accuracy()));
                return true;
            }
            step("Pretraining base model '" + base + "' on the source classes (a run with the single stage FULL,"
                    + " from random weights)");
            Optional<EvaluationCompleted> evaluation = ingestAndFollow(base, dataset, folder);
            if (evaluation.isEmpty()) {
                return false;
            }
            if (!evaluation.get().promotion().promoted()) {
                err.println("the base model was not promoted: " + evaluation.get().promotion().reasons());
                return false;
            }
            out.printf(Locale.ROOT, "  base model '%s' version %d is production: test accuracy %.4f on the source"
                    + " classes; its backbone is where '%s' starts%n", base,
                    evaluation.get().promotion().candidateVersion(), evaluation.get().accuracy(), model);
            return true;
        }

        /** Uploads a folder as a new version, waits for the run it triggers and follows it to its decision. */
        Optional<EvaluationCompleted> ingestAndFollow(String model, String dataset, Path folder) throws Exception {
            FolderUpload.Result result = upload.upload(dataset, folder, 500, "  uploading", out, err);
            if (result.version() == 0) {
                err.println("no new dataset version: every image of " + folder + " was a duplicate or rejected");
                return Optional.empty();
            }
            out.printf("  dataset %s version %d: %d images, labels %s%n", dataset, result.version(),
                    result.imageCount(), result.labels());
            String runId = awaitRun(model, dataset, result.version());
            out.println("  the new version triggered run " + runId);
            out.flush();
            Optional<EvaluationCompleted> evaluation = new RunFollower(stack.kafkaBootstrapServers(), "  ")
                    .follow(runId, timeout, out, false);
            if (evaluation.isEmpty()) {
                err.println("run " + runId + " did not finish within " + timeout + "; see the logs in " + logs);
            }
            return evaluation;
        }

        private String awaitRun(String model, String dataset, int version) throws InterruptedException {
            return findRun(model, dataset, version, Duration.ofMinutes(5)).orElseThrow(() -> new IllegalStateException(
                    "no run of model " + model + " started for " + dataset + " version " + version
                            + " within 5 minutes; see the trainer's log in " + logs));
        }

        /** The run the planner started for a dataset version, once the registry has it; empty after {@code wait}. */
        private Optional<String> findRun(String model, String dataset, int version, Duration wait)
                throws InterruptedException {
            long deadline = System.nanoTime() + wait.toNanos();
            while (System.nanoTime() < deadline) {
                for (RunView run : RunsCommand.list(registry, model)) {
                    if (dataset.equals(run.datasetId()) && run.datasetVersion() == version) {
                        return Optional.of(run.runId());
                    }
                }
                Thread.sleep(500);
            }
            return Optional.empty();
        }

        /**
         * The feedback loop (--loop): half the traffic images to the served version; every item the ingest-service
         * picks for review is labelled from the image's known class (a person's job; the demo knows each image by
         * its SHA-256); the staged labels are sealed into a new dataset version, whose run the gate decides; then
         * the other half of the traffic, its audit items labelled, and the live figures before and after.
         * False when a step failed (said on {@code err}).
         */
        boolean loop(String model, String dataset, Path images) throws Exception {
            Optional<VersionView> served = production(model);
            if (served.isEmpty()) {
                err.println("model " + model + " has no production version to send traffic to");
                return false;
            }
            List<Path> traffic = FeedbackLoop.interleaved(images.resolve("traffic"));
            Map<String, String> truth = FeedbackLoop.truth(images.resolve("traffic"), images.resolve("target-1"));
            FeedbackLoop feedback = new FeedbackLoop(new ServingClient(stack.url(LocalStack.Service.SERVING), null),
                    new IngestClient(stack.url(LocalStack.Service.INGEST), stack.secrets().reviewerToken()), model,
                    truth, out);
            List<Path> first = traffic.subList(0, traffic.size() / 2);
            List<Path> second = traffic.subList(traffic.size() / 2, traffic.size());

            step("The feedback loop: " + first.size() + " images of the target classes that the dataset does not"
                    + " hold, as production traffic to version " + served.get().version());
            feedback.send(first);
            FeedbackLoop.Labelled labelled = feedback.labelPicked(false);
            if (labelled.items() == 0) {
                err.println("the ingest-service picked no prediction for review within " + FeedbackLoop.PICK_WAIT
                        + "; see " + logs.resolve("ingest-service.log"));
                return false;
            }
            Optional<LiveFigures> before = feedback.live(served.get().version());
            before.ifPresentOrElse(live -> out.print(LiveFiguresTable.render(live, served.get().metrics())),
                    () -> out.println(LiveFiguresTable.PREFIX + "version " + served.get().version()
                            + ": no audit labels yet"));
            JsonNode sealed = feedback.seal();
            if (!sealed.hasNonNull("version")) {
                err.println("sealing the review labels made no dataset version: " + sealed);
                return false;
            }
            int version = sealed.path("version").asInt();
            out.printf("  the labels sealed dataset %s version %d (new images per split: %s)%n",
                    sealed.path("datasetId").asText(dataset), version, sealed.path("newImages"));
            Optional<String> runId = findRun(model, sealed.path("datasetId").asText(dataset), version,
                    Duration.ofMinutes(1));
            if (runId.isEmpty()) {
                err.println("no run of model " + model + " started for " + dataset + " version " + version
                        + " within a minute: fewer new training images than trainer.planner.min-new-images (the loop"
                        + " sets " + LOOP_MIN_NEW_IMAGES + ")? See the trainer's log in " + logs);
                return false;
            }
            step("The labelled traffic triggered run " + runId.get());
            Optional<EvaluationCompleted> evaluation = new RunFollower(stack.kafkaBootstrapServers(), "  ")
                    .follow(runId.get(), timeout, out, false);
            if (evaluation.isEmpty()) {
                err.println("run " + runId.get() + " did not finish within " + timeout + "; see the logs in " + logs);
                return false;
            }
            showDecision(model, evaluation.get());
            classify(model, images.resolve("target-1/test"));

            Optional<VersionView> now = production(model);
            long after = now.map(VersionView::version).orElse(served.get().version());
            step("Traffic again: " + second.size() + " other images to version " + after
                    + (after == served.get().version() ? " (production stayed)" : " (the new production)"));
            feedback.send(second);
            feedback.labelPicked(true);
            Optional<LiveFigures> later = feedback.live(after);
            step("Live accuracy per class from audit labels of the traffic, version " + served.get().version()
                    + " before the loop and version " + after + " after");
            if (before.isPresent() && later.isPresent()) {
                out.print(LiveFiguresTable.compare(before.get(), later.get()));
            } else {
                later.ifPresent(live -> out.print(LiveFiguresTable.render(live, now.map(VersionView::metrics)
                        .orElse(null))));
                out.println(LiveFiguresTable.PREFIX + "too few audit labels to compare (audit picks are random:"
                        + " more traffic, --traffic-per-class, gives more)");
            }
            out.flush();
            return true;
        }

        /** The candidate's per-class evaluation, confusion matrix and the decision with its reasons. */
        void showDecision(String model, EvaluationCompleted evaluation) {
            EvaluationCompleted.Promotion promotion = evaluation.promotion();
            VersionView candidate = registry.get(RegistryClient.path("models", model, "versions",
                    promotion.candidateVersion()), VersionView.class);
            out.printf(Locale.ROOT, "%nCandidate: version %d (%s, the run's best by validation accuracy),"
                    + " %d test images%n", candidate.version(), candidate.stage(), candidate.metrics().imagesEvaluated());
            if (promotion.productionVersion() == null || promotion.promoted()
                    && promotion.productionVersion() == promotion.candidateVersion()) {
                out.print(ClassMetricsTable.render(candidate.metrics(), "  "));
            } else {
                PromotionView decision = registry.get(RegistryClient.path("models", model, "promotions")
                                + "?candidateVersion=" + promotion.candidateVersion(),
                        new TypeReference<List<PromotionView>>() { }).stream().reduce((a, b) -> b).orElse(null);
                out.print(decision == null || decision.productionMetrics() == null
                        ? ClassMetricsTable.render(candidate.metrics(), "  ")
                        : comparison(decision.candidateMetrics(), decision.productionMetrics(),
                                promotion.productionVersion()));
                if (decision != null && decision.statistics() != null) {
                    out.print(PromotionStatisticsTable.render(decision.statistics(), "  "));
                }
            }
            out.println("Confusion matrix (rows: true label, columns: predicted label)");
            out.print(ConfusionMatrixFormat.render(candidate.labels(), candidate.metrics().confusionMatrix(), "  "));
            out.printf("Decision: %s%n", promotion.promoted() ? "PROMOTED to production" : "REJECTED, production stays"
                    + " at version " + promotion.productionVersion());
            promotion.reasons().forEach(reason -> out.println("  - " + reason));
            out.flush();
        }

        /** Per class: production's and the candidate's accuracy on the same test split, and the change. */
        private String comparison(Metrics candidate, Metrics production, Long productionVersion) {
            Map<String, Double> before = new LinkedHashMap<>();
            production.perClass().forEach(c -> before.put(c.label(), c.accuracy()));
            TextTable table = new TextTable().left("class").right("production v" + productionVersion)
                    .right("candidate").right("change");
            for (Metrics.ClassMetrics perClass : candidate.perClass()) {
                Double old = before.get(perClass.label());
                table.row(perClass.label(), Formats.fraction(old), Formats.fraction(perClass.accuracy()),
                        old == null || perClass.accuracy() == null ? "new class"
                                : String.format(Locale.ROOT, "%+.3f", perClass.accuracy() - old));
            }
            table.separator().row("accuracy", Formats.fraction(production.accuracy()),
                    Formats.fraction(candidate.accuracy()), production.accuracy() == null
                            || candidate.accuracy() == null ? "" : String.format(Locale.ROOT, "%+.3f",
                            candidate.accuracy() - production.accuracy()));
            return table.render("  ");
        }

        /**
         * Classifies one test image per class (the first three) through the serving-service, once it serves the
         * production version: the model people would call, and the version that answers after each decision.
         */
        void classify(String model, Path testImages) throws Exception {
            Optional<VersionView> production = production(model);
            if (production.isEmpty()) {
                return;
            }
            List<Path> files = new ArrayList<>();
            try (Stream<Path> labels = Files.list(testImages)) {
                for (Path label : labels.filter(Files::isDirectory).sorted().limit(3).toList()) {
                    try (Stream<Path> images = Files.list(label)) {
                        images.sorted().findFirst().ifPresent(files::add);
                    }
                }
            }
            ServingClient serving = new ServingClient(stack.url(LocalStack.Service.SERVING), null);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (true) {
                try {
                    JsonNode answer = serving.predict(model, files, 2);
                    if (answer.path("version").asLong() == production.get().version()) {
                        step("Predictions of the served production model (./pipeline predict " + model
                                + " <images>)");
                        PredictCommand.describe(answer).forEach(line -> out.println("  " + line));
                        out.flush();
                        return;
                    }
                } catch (ServingClient.ServingError notYet) {
                    // 503 until the serving-service has loaded a first version
                }
                if (System.nanoTime() > deadline) {
                    err.println("the serving-service did not serve version " + production.get().version()
                            + " of " + model + " within 2 minutes; see " + logs.resolve("serving-service.log"));
                    return;
                }
                Thread.sleep(500);
            }
        }

        void summary(String model) {
            long seconds = (System.nanoTime() - began) / 1_000_000_000L;
            production(model).ifPresent(version -> out.printf(Locale.ROOT,
                    "  production: version %d (%s of run %s), test accuracy %.4f on %d images of the target classes%n",
                    version.version(), version.stage(), version.runId(), version.metrics().accuracy(),
                    version.metrics().imagesEvaluated()));
            out.printf("  %d min %02d s in all. More: ./pipeline report %s (with the stack up)%n", seconds / 60,
                    seconds % 60, model);
            out.flush();
        }

        private Optional<VersionView> production(String model) {
            try {
                return Optional.of(registry.get(RegistryClient.path("models", model, "aliases", "production",
                        "version"), VersionView.class));
            } catch (RegistryClient.RegistryError e) {
                if (e.status() == 404) {
                    return Optional.empty();
                }
                throw e;
            }
        }
    }
}
