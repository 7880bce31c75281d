package io.stagetune.ingest.review;

import io.quarkus.scheduler.Scheduled;
import io.stagetune.ingest.api.LiveView;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.LinkedHashMap;
import java.util.Map;

/** Recomputes the live gauges of every model with audit labels, for its newest audited version. */
@ApplicationScoped
public class LiveMetricsRefresher {

    private static final Logger LOG = Logger.getLogger(LiveMetricsRefresher.class);

    private final ReviewService reviews;
    private final ReviewRepository repository;
    private final ReviewMetrics metrics;

    public LiveMetricsRefresher(ReviewService reviews, ReviewRepository repository, ReviewMetrics metrics) {
        this.reviews = reviews;
        this.repository = repository;
        this.metrics = metrics;
    }

    @Scheduled(every = "${ingest.review.live-metrics-every:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        try {
            Map<String, LiveView> byModel = new LinkedHashMap<>();
            for (String model : io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                    .call(repository::auditedModels)) {
                byModel.put(model, reviews.live(model, null, null));
            }
            metrics.live(byModel);
        } catch (RuntimeException e) {
            LOG.warnf("live figures not refreshed this time: %s", e.getMessage());
        }
    }
}
