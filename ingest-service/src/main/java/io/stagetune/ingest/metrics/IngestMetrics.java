package io.stagetune.ingest.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.stagetune.ingest.api.FileOutcome;
import io.stagetune.ingest.api.UploadResult;
import jakarta.enterprise.context.ApplicationScoped;


/** Ingest counters: images by outcome and reason, bytes stored, upload duration, requests refused. */
@ApplicationScoped
public class IngestMetrics {

    private final MeterRegistry registry;
    private final Counter bytesStored;
    private final Timer uploadTimer;

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.bytesStored = Counter.builder("ingest.bytes.stored").description("Image bytes written to the store")
                .baseUnit("bytes").register(registry);
        this.uploadTimer = Timer.builder("ingest.upload").description("Time to validate, store and commit an upload")
                .register(registry);
    }

    public void recorded(UploadResult result) {
        for (FileOutcome file : result.files()) {
            String reason = file.status() == FileOutcome.Status.rejected ? file.code() : "none";
            registry.counter("ingest.images", "outcome", file.status().name(), "reason", reason).increment();
        }
    }

    public void stored(long bytes) {
        bytesStored.increment(bytes);
    }

    public Timer uploadTimer() {
        return uploadTimer;
    }

    public void refused(int status) {
        registry.counter("ingest.requests.refused", "status", Integer.toString(status)).increment();
    }
}
