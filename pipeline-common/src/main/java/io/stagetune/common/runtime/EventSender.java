package io.stagetune.common.runtime;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.stagetune.common.events.EventJson;
import io.stagetune.common.events.PipelineEvent;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends an event keyed by {@link PipelineEvent#key()} and waits until the broker acknowledged it, so a caller
 * never records "sent" for an event that was not. Failures surface as {@link EventNotSentException}.
 */
public final class EventSender {

    private EventSender() {
    }

    public static CompletableFuture<Void> sendAsync(Emitter<String> emitter, PipelineEvent event) {
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        Metadata metadata = Metadata.of(OutgoingKafkaRecordMetadata.<String>builder().withKey(event.key()).build());
        Message<String> message = Message.of(EventJson.write(event), metadata,
                () -> {
                    acknowledged.complete(null);
                    return CompletableFuture.completedFuture(null);
                },
                failure -> {
                    acknowledged.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                });
        try {
            emitter.send(message);
        } catch (RuntimeException e) {
            acknowledged.completeExceptionally(e);
        }
        return acknowledged;
    }

    public static void send(Emitter<String> emitter, PipelineEvent event, Duration timeout) {
        try {
            sendAsync(emitter, event).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EventNotSentException(event, e);
        } catch (ExecutionException e) {
            throw new EventNotSentException(event, e.getCause());
        } catch (TimeoutException e) {
            throw new EventNotSentException(event, e);
        }
    }

    /** The broker did not acknowledge an event in time. */
    public static class EventNotSentException extends RuntimeException {
        public EventNotSentException(PipelineEvent event, Throwable cause) {
            super(event.getClass().getSimpleName() + " " + event.eventId() + " to " + event.topic() + " not sent: "
                    + (cause == null ? "no acknowledgement" : cause.getMessage()), cause);
        }
    }
}
