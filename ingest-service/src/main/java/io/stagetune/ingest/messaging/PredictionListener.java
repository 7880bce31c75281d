package io.stagetune.ingest.messaging;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.stagetune.common.events.EventJson;
import io.stagetune.common.events.PredictionMade;
import io.stagetune.ingest.review.ReviewService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code predictions} (group {@code ingest-review}, shared by every replica, so each partition, and so
 * each model, has one consumer at a time) and hands each record with its offset to the review queue, which applies
 * it once. A message that is not a prediction goes to {@code predictions-dlq}.
 */
@ApplicationScoped
public class PredictionListener {

    private final ReviewService reviews;

    public PredictionListener(ReviewService reviews) {
        this.reviews = reviews;
    }

    @Incoming("predictions")
    @Blocking(ordered = true)
    public void onPrediction(ConsumerRecord<String, String> record) {
        PredictionMade prediction = EventJson.read(record.value(), PredictionMade.class);
        String partition = record.topic() + "-" + record.partition();
        try {
            reviews.apply(partition, record.offset(), prediction);
        } catch (PersistenceException e) {
            // Another replica applied it during a rebalance: the retry sees its offset and skips the record.
            reviews.apply(partition, record.offset(), prediction);
        }
    }
}
