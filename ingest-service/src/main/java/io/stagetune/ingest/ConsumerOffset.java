package io.stagetune.ingest;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;

/**
 * The next record offset a consumer applies on a topic partition, written in the same transaction as the record's
 * effects: a redelivered record (offset below it) is skipped, so its counts are applied exactly once.
 */
@Entity
@Table(name = "consumer_offset")
@IdClass(ConsumerOffset.Key.class)
public class ConsumerOffset {

    @Id
    @Column(length = 64)
    private String consumer;

    @Id
    @Column(name = "topic_partition", length = 255)
    private String topicPartition;

    @Column(name = "next_offset", nullable = false)
    private long nextOffset;

    protected ConsumerOffset() {
    }

    public ConsumerOffset(String consumer, String topicPartition, long nextOffset) {
        this.consumer = consumer;
        this.topicPartition = topicPartition;
        this.nextOffset = nextOffset;
    }

    public long nextOffset() {
        return nextOffset;
    }

    public void applied(long offset) {
        nextOffset = offset + 1;
    }

    public record Key(String consumer, String topicPartition) implements Serializable {
    }
}
