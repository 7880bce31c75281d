package io.stagetune.trainer.worker;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.util.Collection;

/**
 * Rebalances of the worker's consumer group ({@code mp.messaging.incoming.training-commands.consumer-rebalance-listener.name}).
 * A joining worker (a scale-out) takes partitions whether or not a stage is training from one of them. When the
 * partition of the command in flight here is revoked, this worker keeps the stage's lease and finishes the stage:
 * the partition's new owner receives the uncommitted command, finds the stage leased by this live worker and
 * defers it until the stage is published, then commits it without training. The alternative, stopping at the next
 * epoch boundary and handing over, would spend GPU time twice for nothing: the new owner would download and decode the
 * dataset, load the model and redo the interrupted epoch, while this worker sat idle, and the newcomer was started
 * for the waiting commands, which it can train meanwhile. Revocations are counted
 * ({@code trainer_partitions_revoked_total}, {@code in_flight} true when the stage in flight lost its partition).
 */
@ApplicationScoped
@Identifier(CommandRebalanceListener.NAME)
public class CommandRebalanceListener implements KafkaConsumerRebalanceListener {

    static final String NAME = "training-commands-rebalance";
    private static final Logger LOG = Logger.getLogger(CommandRebalanceListener.class);

    private final StageWorker worker;
    private final TrainingMetrics metrics;

    public CommandRebalanceListener(StageWorker worker, TrainingMetrics metrics) {
        this.worker = worker;
        this.metrics = metrics;
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        taken(partitions, "revoked");
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        taken(partitions, "lost");
    }

    private void taken(Collection<TopicPartition> partitions, String how) {
        if (partitions.isEmpty()) {
            return;
        }
        var inFlight = worker.inFlight().filter(flight -> partitions.contains(flight.partition()));
        metrics.partitionsRevoked(partitions.size(), inFlight.isPresent());
        inFlight.ifPresentOrElse(flight -> LOG.infof("partitions %s %s, among them %s of run %s stage %s, which "
                        + "trains here: this worker keeps the stage's lease and finishes it; the partition's new owner "
                        + "waits for the lease", partitions, how, flight.partition(), flight.command().runId(),
                        flight.command().stage()),
                () -> LOG.infof("partitions %s %s", partitions, how));
    }
}
