package io.stagetune.localstack.cli.client;

/**
 * The ingest-service's answer to a label ({@code POST /models/{model}/review/{id}}): where the image went.
 *
 * @param image   {@code accepted}, or {@code duplicate} when the dataset already held the same bytes
 * @param version the dataset version this label's batch sealed, null while the label is staged
 */
public record LabelResult(String id, String label, String state, String datasetId, String split, String image,
                          Integer version) {
}
