package io.stagetune.localstack.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.stagetune.common.image.ContentHash;
import io.stagetune.localstack.cli.client.IngestClient;
import io.stagetune.localstack.cli.client.LabelResult;
import io.stagetune.localstack.cli.client.LiveFigures;
import io.stagetune.localstack.cli.client.ReviewQueue;
import io.stagetune.localstack.cli.client.ServingClient;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The demo's feedback loop against a running stack: production traffic to the serving-service, and a stand-in
 * reviewer who labels what the ingest-service picks for review from each image's known class (the demo wrote the
 * images, so it knows every one by its SHA-256). Every wait is bounded.
 */
public final class FeedbackLoop {

    /** The longest wait for the ingest-service to pick the traffic's predictions (it consumes them from Kafka). */
    public static final Duration PICK_WAIT = Duration.ofSeconds(60);
    /** Picks are complete once the open count has not moved for this long. */
    private static final Duration QUIET = Duration.ofSeconds(3);
    private static final int IMAGES_PER_REQUEST = 20;
    private static final int PAGE = 100;

    private final ServingClient serving;
    private final IngestClient ingest;
    private final String model;
    private final Map<String, String> truth;
    private final PrintWriter out;
    /** The open items before the last traffic was sent. */
    private int openBefore;

    /** @param truth each image's class by the SHA-256 of its bytes */
    public FeedbackLoop(ServingClient serving, IngestClient ingest, String model, Map<String, String> truth,
                        PrintWriter out) {
        this.serving = serving;
        this.ingest = ingest;
        this.model = model;
        this.truth = Map.copyOf(truth);
        this.out = out;
    }

    /** What one round of labelling did: items labelled per reason, their images per split, items of unknown images. */
    public record Labelled(int items, Map<String, Integer> reasons, Map<String, Integer> splits, int unknown) {
    }

    /**
     * The images of {@code traffic/<label>/*.png}, the classes taking turns (each in file order), so that every
     * request and each half of the list holds every class alike.
     */
    public static List<Path> interleaved(Path traffic) throws IOException {
        List<List<Path>> perClass = new ArrayList<>();
        try (Stream<Path> labels = Files.list(traffic)) {
            for (Path label : labels.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> files = Files.list(label)) {
                    perClass.add(files.filter(Files::isRegularFile).sorted().toList());
                }
            }
        }
        List<Path> images = new ArrayList<>();
        for (int index = 0; perClass.stream().anyMatch(files -> !files.isEmpty()); index++) {
            boolean any = false;
            for (List<Path> files : perClass) {
                if (index < files.size()) {
                    images.add(files.get(index));
                    any = true;
                }
            }
            if (!any) {
                break;
            }
        }
        return images;
    }

    /** Each PNG's class (its folder's name) by the SHA-256 of its bytes, for every PNG under the folders. */
    public static Map<String, String> truth(Path... folders) throws IOException {
        Map<String, String> truth = new HashMap<>();
        for (Path folder : folders) {
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path file : files.filter(path -> path.toString().endsWith(".png")).toList()) {
                    truth.put(ContentHash.sha256(Files.readAllBytes(file)), file.getParent().getFileName()
                            .toString());
                }
            }
        }
        return truth;
    }

    /** Sends the images to the served model in small requests; prints which versions answered. */
    public void send(List<Path> images) throws IOException, InterruptedException {
        openBefore = ingest.review(model, null, null, "open", 1).open();
        Map<Long, Integer> versions = new TreeMap<>();
        int requests = 0;
        for (int from = 0; from < images.size(); from += IMAGES_PER_REQUEST) {
            JsonNode answer = serving.predict(model, images.subList(from, Math.min(images.size(),
                    from + IMAGES_PER_REQUEST)), 3);
            versions.merge(answer.path("version").asLong(), answer.path("images").size(), Integer::sum);
            requests++;
        }
        StringBuilder answered = new StringBuilder();
        versions.forEach((version, count) -> answered.append(answered.length() == 0 ? "" : ", ")
                .append(count).append(" by version ").append(version));
        out.printf("  %d predictions in %d requests to POST /models/%s/predict: %s%n", images.size(), requests,
                model, answered);
        out.flush();
    }

    /**
     * Waits until the ingest-service has picked the traffic's predictions, then labels every open item (only the
     * audit items with {@code auditOnly}) with its image's known class, and prints what it did.
     */
    public Labelled labelPicked(boolean auditOnly) throws InterruptedException {
        int picked = awaitPicks() - openBefore;
        Map<String, Integer> reasons = new TreeMap<>();
        Map<String, Integer> splits = new TreeMap<>();
        Set<String> skipped = new HashSet<>();
        int labelled = 0;
        while (true) {
            ReviewQueue queue = ingest.review(model, null, auditOnly ? "audit" : null, "open", PAGE);
            List<ReviewQueue.Item> todo = queue.items().stream().filter(item -> !skipped.contains(item.id()))
                    .toList();
            if (todo.isEmpty()) {
                break;
            }
            for (ReviewQueue.Item item : todo) {
                String label = truth.get(item.sha256());
                if (label == null) {
                    skipped.add(item.id());
                    continue;
                }
                LabelResult result = ingest.label(model, item.id(), label);
                reasons.merge(item.reason(), 1, Integer::sum);
                splits.merge("duplicate".equals(result.image()) ? "duplicates" : result.split(), 1, Integer::sum);
                labelled++;
            }
        }
        out.printf("  the ingest-service picked %d of these predictions for review%n", picked);
        out.printf("  labelled %d open %sitems from each image's known class (standing in for a reviewer): %s;"
                + " their images went to %s%s%s%n", labelled, auditOnly ? "audit " : "review ", words(reasons),
                words(splits), auditOnly ? " (the uncertain ones stay open)" : "",
                skipped.isEmpty() ? "" : "; " + skipped.size() + " of images the demo does not know stay open");
        out.flush();
        return new Labelled(labelled, reasons, splits, skipped.size());
    }

    /** {@code audit 60, uncertain 47}. */
    private static String words(Map<String, Integer> counts) {
        StringBuilder text = new StringBuilder();
        counts.forEach((name, count) -> text.append(text.length() == 0 ? "" : ", ").append(name).append(' ')
                .append(count));
        return text.length() == 0 ? "none" : text.toString();
    }

    /**
     * The open count once it has stopped moving after the traffic's picks began to arrive (or once
     * {@link #PICK_WAIT} passed).
     */
    private int awaitPicks() throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + PICK_WAIT.toNanos();
        int last = -1;
        long since = start;
        while (true) {
            int open = ingest.review(model, null, null, "open", 1).open();
            long now = System.nanoTime();
            if (open != last) {
                last = open;
                since = now;
            } else if (open > openBefore && now - since >= QUIET.toNanos()) {
                return open;
            }
            if (now > deadline) {
                return open;
            }
            Thread.sleep(500);
        }
    }

    /** The version's live figures over the policy's window; empty while it has no audit label. */
    public Optional<LiveFigures> live(long version) {
        try {
            return Optional.of(ingest.live(model, version, null));
        } catch (IngestClient.IngestError e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Seals the staged labels into a dataset version now. */
    public JsonNode seal() {
        return ingest.seal(model);
    }
}
