package dev.sluice.stream.runtime;

import dev.sluice.broker.TopicPartition;
import dev.sluice.stream.connector.Config;
import dev.sluice.stream.connector.ConnectorContext;
import dev.sluice.stream.connector.SinkConnector;
import dev.sluice.stream.connector.SourceConnector;
import dev.sluice.stream.spec.PipelineSpec;
import dev.sluice.stream.spec.SourceSpec;
import dev.sluice.stream.spec.StageSpec;
import dev.sluice.stream.spec.TopicSpec;
import dev.sluice.stream.step.StepContext;
import java.util.List;

/**
 * A pipeline that passed validation: every name resolved, every step and connector setting checked. Building one
 * opens nothing, so {@code sluice validate} can use it without a broker.
 */
public record PipelinePlan(
        PipelineSpec spec,
        List<TopicSpec> topics,
        List<SourcePlan> sources,
        List<StagePlan> stages,
        StepContext steps) {

    /**
     * Progress reports of a stage into the by-key topic in front of a stateful step.
     *
     * @param topic the by-key topic
     * @param partitions its partitions, to each of which every task reports
     * @param idleTimeoutMs the stateful step's idle timeout: an origin quiet this long is reported at once
     */
    public record Progress(String topic, int partitions, long idleTimeoutMs) {}

    /** A source with its connector and checked settings. */
    public record SourcePlan(SourceSpec spec, SourceConnector connector, Config config, ConnectorContext context) {}

    /**
     * A stage or sink with what it needs to run.
     *
     * @param groupId the consumer group its tasks join
     * @param outputTopic where events go without a route (null for sinks)
     * @param changelogTopic where the state of its steps is kept, or null when they keep none
     * @param inputs its input partitions in a fixed order (the n-th one's state is in changelog partition n)
     * @param progress when its output is a by-key topic: how its tasks report their progress there ({@link
     *     ProgressReports}); else null
     * @param outputs every topic it may write to: its output, route targets, its dead-letter topic and the topics of
     *     its steps (late events), so a bounded run knows when nothing more can come to a topic
     */
    public record StagePlan(
            StageSpec spec,
            String groupId,
            int parallelism,
            String outputTopic,
            String deadLetterTopic,
            SinkConnector sink,
            Config sinkConfig,
            ConnectorContext context,
            String changelogTopic,
            List<TopicPartition> inputs,
            Progress progress,
            List<String> outputs) {
        /**
         * Whether the stage ends in a sink that publishes in two phases (exactly-once, or a sink that always does):
         * the sink is built with {@code createExactlyOnce}, and the offsets are committed between its prepare and
         * publish.
         */
        public boolean twoPhaseSink() {
            return sink != null && (spec.exactlyOnce() || sink.twoPhase());
        }
    }
}
