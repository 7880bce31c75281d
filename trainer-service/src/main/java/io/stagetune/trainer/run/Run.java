package io.stagetune.trainer.run;

import io.stagetune.common.checkpoint.WarmStart;
import io.stagetune.common.events.Stage;
import io.stagetune.common.storage.ObjectKeys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * One training run: a model trained on one dataset version with a plan of stages. Its id derives from model,
 * dataset and version, so the same run can never be started twice.
 *
 * @param trainImages training images in the dataset version, what the next trigger compares against
 * @param labels      the version's labels, likewise
 * @param trigger     why the run started (policy reason, or "manual by &lt;who&gt;")
 * @param started     whether the first stage command was acknowledged by the broker
 * @param warmStart   the production version the run starts from, resolved when it was planned; null: the base
 */
public record Run(String runId, String model, String datasetId, int datasetVersion, List<Stage> plan,
                  String baseBackbone, Map<String, String> hyperparameters, int trainImages, List<String> labels,
                  String trigger, Instant createdAt, boolean started, WarmStart warmStart) {

    public Run {
        plan = List.copyOf(plan);
        hyperparameters = hyperparameters == null ? Map.of() : Map.copyOf(hyperparameters);
        labels = labels == null ? List.of() : List.copyOf(labels);
    }

    public Run asStarted() {
        return new Run(runId, model, datasetId, datasetVersion, plan, baseBackbone, hyperparameters, trainImages,
                labels, trigger, createdAt, true, warmStart);
    }

    /** {@code <model>.<dataset>.v<N>} when that is a valid name, else a digest of it. */
    public static String idFor(String model, String datasetId, int datasetVersion) {
        String readable = model + "." + datasetId + ".v" + datasetVersion;
        if (ObjectKeys.NAME.matcher(readable).matches()) {
            return readable;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(readable.getBytes(StandardCharsets.UTF_8));
            return "run-" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
