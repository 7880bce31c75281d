package io.stagetune.persistence.outbox;

import io.stagetune.common.events.EventJson;
import io.stagetune.common.events.PipelineEvent;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** An event written in the transaction of the change it announces; pending until the broker acknowledged it. */
@Entity
@Table(name = "outbox_event")
public class OutboxEvent {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "event_id", nullable = false, unique = true, length = 36)
    private String eventId;

    @Column(nullable = false, length = 200)
    private String topic;

    @Column(name = "event_key", nullable = false, length = 200)
    private String eventKey;

    @Column(name = "event_type", nullable = false, length = 64)
    private String eventType;

    @Column(nullable = false)
    private String payload;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "sent_at")
    private Instant sentAt;

    @Column(nullable = false)
    private int attempts;

    @Column(name = "last_error", length = 2000)
    private String lastError;

    protected OutboxEvent() {
    }

    public OutboxEvent(PipelineEvent event, Instant createdAt) {
        this.eventId = event.eventId().toString();
        this.topic = event.topic();
        this.eventKey = event.key();
        this.eventType = event.getClass().getSimpleName();
        this.payload = EventJson.write(event);
        this.createdAt = createdAt;
    }

    public PipelineEvent event() {
        return EventJson.read(payload);
    }

    void sent(Instant at) {
        sentAt = at;
        attempts++;
        lastError = null;
    }

    void failed(String error) {
        attempts++;
        lastError = error == null ? "unknown" : error.substring(0, Math.min(error.length(), 2000));
    }

    public Long id() {
        return id;
    }

    public String eventId() {
        return eventId;
    }

    public String eventKey() {
        return eventKey;
    }

    public String eventType() {
        return eventType;
    }

    public Instant sentAt() {
        return sentAt;
    }

    public int attempts() {
        return attempts;
    }
}
