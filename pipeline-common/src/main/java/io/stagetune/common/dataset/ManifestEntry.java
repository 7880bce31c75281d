package io.stagetune.common.dataset;

import io.stagetune.common.events.Split;

/** One line of a dataset version's manifest ({@code <datasetId>/manifests/v<N>.jsonl}). */
public record ManifestEntry(String key, String sha256, String label, Split split, int width, int height) {
}
