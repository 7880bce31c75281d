package io.stagetune.ingest;

import io.stagetune.common.Topics;
import io.stagetune.testsupport.TopicEvents;
import io.stagetune.common.events.PipelineEvent;

import java.time.Duration;
import java.util.List;

/** Reads {@code dataset-events} from the beginning, as a downstream consumer would. */
public final class DatasetEventsReader {

    private DatasetEventsReader() {
    }

    /** Every event keyed by {@code datasetId}, polling until {@code expected} arrived or {@code wait} passed. */
    public static List<PipelineEvent> read(String bootstrapServers, String datasetId, int expected, Duration wait) {
        return TopicEvents.read(bootstrapServers, Topics.DATASET_EVENTS, datasetId, expected, wait);
    }
}
