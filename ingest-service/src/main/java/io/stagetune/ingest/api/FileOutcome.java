package io.stagetune.ingest.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.stagetune.common.dataset.ManifestEntry;
import io.stagetune.common.events.Split;

/**
 * What happened to one uploaded file.
 *
 * @param name   the file name as uploaded (archive entries with their path inside the archive)
 * @param reason why a file was rejected, or what it duplicates
 * @param code   a short stable reason code, used as a metric label
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FileOutcome(String name, Status status, String label, Split split, String sha256, String key,
                          String reason, @JsonIgnore String code) {

    public enum Status {
        accepted, duplicate, rejected
    }

    public static FileOutcome accepted(String name, ManifestEntry entry) {
        return new FileOutcome(name, Status.accepted, entry.label(), entry.split(), entry.sha256(), entry.key(), null,
                null);
    }

    public static FileOutcome duplicate(String name, ManifestEntry existing, String of) {
        return new FileOutcome(name, Status.duplicate, existing.label(), existing.split(), existing.sha256(),
                existing.key(), "same bytes as " + of, null);
    }

    public static FileOutcome rejected(String name, String code, String reason) {
        return new FileOutcome(name, Status.rejected, null, null, null, null, reason, code);
    }
}
