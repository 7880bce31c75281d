package io.stagetune.common.storage;

import io.stagetune.common.events.Stage;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The object-store layout (docs/architecture.md, "Storage layout"):
 * <pre>
 * datasets bucket:    &lt;datasetId&gt;/images/&lt;sha256&gt;.&lt;ext&gt;
 *                     &lt;datasetId&gt;/manifests/v&lt;N&gt;.jsonl       one line per image
 *                     &lt;datasetId&gt;/manifests/v&lt;N&gt;.json        counts and labels of version N
 *                     &lt;datasetId&gt;/announced/v&lt;N&gt;             marker: version N's events were sent
 * checkpoints bucket: &lt;model&gt;/&lt;runId&gt;/&lt;stage&gt;/checkpoint.json (written last) and its files
 * </pre>
 */
public final class ObjectKeys {

    /** Dataset ids, model names and labels share this shape so they are safe in keys, paths and metric tags. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern MANIFEST = Pattern.compile(".*/manifests/v(\\d+)\\.jsonl");

    private ObjectKeys() {
    }

    public static String image(String datasetId, String sha256, String extension) {
        requireName("dataset id", datasetId);
        if (!SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a lower-case sha256 hex digest: " + sha256);
        }
        return datasetId + "/images/" + sha256 + "." + extension.toLowerCase(Locale.ROOT);
    }

    public static String manifestsPrefix(String datasetId) {
        return requireName("dataset id", datasetId) + "/manifests/";
    }

    public static String manifest(String datasetId, int version) {
        return manifestsPrefix(datasetId) + "v" + version + ".jsonl";
    }

    public static String versionSummary(String datasetId, int version) {
        return manifestsPrefix(datasetId) + "v" + version + ".json";
    }

    public static String announcedMarker(String datasetId, int version) {
        return requireName("dataset id", datasetId) + "/announced/v" + version;
    }

    /** The version number of a manifest key, or -1 when the key is not a manifest. */
    public static int manifestVersion(String key) {
        var matcher = MANIFEST.matcher(key);
        return matcher.matches() ? Integer.parseInt(matcher.group(1)) : -1;
    }

    public static String checkpointPrefix(String model, String runId, Stage stage) {
        return requireName("model", model) + "/" + requireName("run id", runId) + "/" + stage.pathName() + "/";
    }

    public static String checkpointFile(String model, String runId, Stage stage, String file) {
        return checkpointPrefix(model, runId, stage) + file;
    }

    /**
     * Where, inside a checkpoint's folder, the evaluator keeps that checkpoint's per-image predictions on one dataset
     * version's test split (a checkpoint is one model version, so this is per version and split).
     */
    public static String predictionsFile(String datasetId, int datasetVersion) {
        return "predictions/" + requireName("dataset id", datasetId) + ".v" + datasetVersion + ".json.gz";
    }

    public static String requireName(String what, String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " '" + value + "' must match " + NAME.pattern());
        }
        return value;
    }
}
