package io.stagetune.localstack.cli.client;

import io.stagetune.common.Topics;
import io.stagetune.common.events.CheckpointPublished;
import io.stagetune.common.events.EpochCompleted;
import io.stagetune.common.events.EvaluationCompleted;
import io.stagetune.common.events.EventJson;
import io.stagetune.common.events.MalformedEventException;
import io.stagetune.common.events.PipelineEvent;
import io.stagetune.common.events.StageCommand;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Follows one run on the broker from its first event: each stage command, epoch, checkpoint and evaluation, until
 * the evaluation that carries the run's promotion decision. Reads the topics directly (no consumer group), so
 * following never disturbs the services and can start at any time.
 */
public final class RunFollower {

    private static final List<String> TOPICS = List.of(Topics.TRAINING_COMMANDS, Topics.TRAINING_PROGRESS,
            Topics.TRAINING_CHECKPOINTS, Topics.EVALUATION_RESULTS);

    private final String bootstrapServers;
    private final String indent;

    public RunFollower(String bootstrapServers) {
        this(bootstrapServers, "");
    }

    /** @param indent put before every line printed */
    public RunFollower(String bootstrapServers, String indent) {
        this.bootstrapServers = bootstrapServers;
        this.indent = indent;
    }

    /** Prints the run's events as they come; the evaluation with the promotion decision, or empty on timeout. */
    public Optional<EvaluationCompleted> follow(String runId, Duration timeout, PrintWriter out) {
        return follow(runId, timeout, out, true);
    }

    /** As {@link #follow(String, Duration, PrintWriter)}; {@code printDecision} false leaves the decision out. */
    public Optional<EvaluationCompleted> follow(String runId, Duration timeout, PrintWriter out, boolean printDecision) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : TOPICS) {
                consumer.partitionsFor(topic).forEach(info -> partitions.add(
                        new TopicPartition(info.topic(), info.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (!runId.equals(record.key())) {
                        continue;
                    }
                    PipelineEvent event;
                    try {
                        event = EventJson.read(record.value());
                    } catch (MalformedEventException e) {
                        continue;
                    }
                    print(out, event, printDecision);
                    if (event instanceof EvaluationCompleted evaluation && evaluation.promotion() != null) {
                        return Optional.of(evaluation);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private void print(PrintWriter out, PipelineEvent event, boolean printDecision) {
        if (event instanceof StageCommand command) {
            out.printf(indent + "stage %s (%d/%d) queued%n", command.stage(), command.stageIndex() + 1,
                    command.plan().size());
        } else if (event instanceof EpochCompleted epoch) {
            out.printf(Locale.ROOT,
                    indent + "  %-6s epoch %2d/%-2d loss %.4f  train acc %.3f  val acc %.3f  %6.1f img/s%s%n",
                    epoch.stage(), epoch.epoch(), epoch.maxEpochs(), epoch.trainLoss(), epoch.trainAccuracy(),
                    epoch.valAccuracy(), epoch.imagesPerSecond(), epoch.best() ? "  *best" : "");
        } else if (event instanceof CheckpointPublished checkpoint) {
            out.printf(Locale.ROOT, indent + "  %-6s checkpoint %s (best epoch %d, val acc %.3f)%n",
                    checkpoint.stage(),
                    checkpoint.checkpoint(), checkpoint.bestEpoch(), checkpoint.valAccuracy());
        } else if (event instanceof EvaluationCompleted evaluation) {
            out.printf(Locale.ROOT,
                    indent + "  %-6s test accuracy %.4f (macro F1 %.4f) on %d images -> version %d%n",
                    evaluation.stage(), evaluation.accuracy(), evaluation.macroF1(), evaluation.imagesEvaluated(),
                    evaluation.modelVersion());
            if (evaluation.promotion() != null && printDecision) {
                out.println(indent + (evaluation.promotion().promoted() ? "promoted to production"
                        : "not promoted"));
                evaluation.promotion().reasons().forEach(reason -> out.println(indent + "  - " + reason));
            }
        }
        out.flush();
    }
}
