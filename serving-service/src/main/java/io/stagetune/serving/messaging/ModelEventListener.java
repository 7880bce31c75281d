package io.stagetune.serving.messaging;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import io.stagetune.common.events.AliasMoved;
import io.stagetune.common.events.EventJson;
import io.stagetune.common.events.PipelineEvent;
import io.stagetune.serving.service.ModelReloader;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.Collection;

/**
 * Follows {@code model-events} in a consumer group of this replica's own ({@code serving-<replica id>}), so every
 * replica sees every move. An {@code AliasMoved} of a served alias wakes that model's follower, which resolves the
 * alias in the registry; a (re)assignment of the partitions, after a start or a reconnect, wakes them all, since
 * events may have passed meanwhile. A message that is not an event goes to {@code model-events-dlq}.
 */
@ApplicationScoped
@Identifier(ModelEventListener.REBALANCE_LISTENER)
public class ModelEventListener implements KafkaConsumerRebalanceListener {

    public static final String REBALANCE_LISTENER = "serving-model-events";

    private final ModelReloader reloader;

    public ModelEventListener(ModelReloader reloader) {
        this.reloader = reloader;
    }

    @Incoming("model-events")
    public void onEvent(String payload) {
        PipelineEvent event = EventJson.read(payload);
        if (event instanceof AliasMoved moved) {
            reloader.aliasMoved(moved.model(), moved.alias());
        }
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        reloader.recheckAll();
    }
}
