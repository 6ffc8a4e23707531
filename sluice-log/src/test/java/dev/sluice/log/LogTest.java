package dev.sluice.log;

import static dev.sluice.log.testing.Batches.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.log.config.InvalidConfigException;
import dev.sluice.log.config.TopicConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTest {
    @TempDir
    Path dir;

    @Test
    void shouldCreateListDescribeAndDeleteTopics() {
        try (Log log = Log.open(dir)) {
            log.createTopic("clicks", 4, TopicConfig.of(Map.of("retention.ms", "1d")));
            log.createTopic("orders", 1, TopicConfig.defaults());
            assertThat(log.topics()).extracting(Topic::name).containsExactly("clicks", "orders");
            assertThat(log.topic("clicks").partitionCount()).isEqualTo(4);
            assertThat(log.topic("clicks").config().retentionMs()).isEqualTo(86_400_000L);

            log.deleteTopic("orders");
            assertThat(log.findTopic("orders")).isEmpty();
        }
        try (Log log = Log.open(dir)) {
            assertThat(log.topics()).extracting(Topic::name).containsExactly("clicks");
            assertThat(log.topic("clicks").config().retentionMs()).isEqualTo(86_400_000L);
        }
    }

    @Test
    void shouldExplainBadTopicNamesAndCounts() {
        try (Log log = Log.open(dir)) {
            assertThatThrownBy(() -> log.createTopic("my topic", 1, TopicConfig.defaults()))
                    .isInstanceOf(InvalidTopicException.class)
                    .hasMessage("Illegal topic name 'my topic': use only letters, digits, '.', '_' and '-' (for example"
                            + " my-topic).");
            assertThatThrownBy(() -> log.createTopic("t", 0, TopicConfig.defaults()))
                    .isInstanceOf(InvalidTopicException.class)
                    .hasMessage("Invalid partition count 0 for topic t: use a number from 1 to 10000.");
            assertThatThrownBy(() -> log.createTopic("x".repeat(250), 1, TopicConfig.defaults()))
                    .hasMessageContaining("is 250 characters long; the limit is 249");
            log.createTopic("clicks", 2, TopicConfig.defaults());
            assertThatThrownBy(() -> log.createTopic("clicks", 2, TopicConfig.defaults()))
                    .isInstanceOf(TopicExistsException.class)
                    .hasMessage("Topic 'clicks' already exists with 2 partitions.");
            assertThatThrownBy(() -> log.topic("clikcs"))
                    .isInstanceOf(UnknownTopicException.class)
                    .hasMessage("Topic 'clikcs' does not exist. Did you mean 'clicks'?");
            assertThatThrownBy(() -> log.topic("clicks").partition(2))
                    .isInstanceOf(UnknownPartitionException.class)
                    .hasMessage("Partition 2 does not exist: topic clicks has 2 partitions (0-1).");
        }
    }

    @Test
    void shouldExplainBadConfigValues() {
        assertThatThrownBy(() -> TopicConfig.of(Map.of("segment.bytes", "-1")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("Invalid value -1 for segment.bytes: must be >= 1048576");
        assertThatThrownBy(() -> TopicConfig.of(Map.of("retention.ms", "forever")))
                .hasMessageStartingWith("Invalid value forever for retention.ms: 'forever' is not a duration");
        assertThatThrownBy(() -> TopicConfig.of(Map.of("flush.policy", "sometimes")))
                .hasMessage("Invalid value sometimes for flush.policy: must be one of always, interval, os");
        assertThatThrownBy(() -> TopicConfig.of(Map.of("retention.msec", "1")))
                .hasMessageStartingWith("Unknown topic config 'retention.msec'. Did you mean 'retention.ms'?");
        assertThat(TopicConfig.of(Map.of("segment.bytes", "64MiB", "retention.ms", "12h"))
                        .segmentBytes())
                .isEqualTo(64L << 20);
    }

    @Test
    void shouldRefuseASecondOpenOfTheSameDirectory() {
        try (Log log = Log.open(dir)) {
            assertThatThrownBy(() -> Log.open(dir))
                    .isInstanceOf(DataDirectoryException.class)
                    .hasMessage("Data directory " + dir.toAbsolutePath() + " is in use by another Sluice process (pid "
                            + ProcessHandle.current().pid() + "). Stop that process first, or use a different data"
                            + " directory.");
            log.createTopic("still-works", 1, TopicConfig.defaults());
        }
        try (Log log = Log.open(dir)) {
            assertThat(log.topics()).hasSize(1);
        }
    }

    @Test
    void shouldExplainADataDirectoryThatIsAFile() throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        assertThatThrownBy(() -> Log.open(file))
                .isInstanceOf(DataDirectoryException.class)
                .hasMessageContaining("is a file, not a directory");
    }

    @Test
    void shouldAppendAndReadOnEveryPartitionIndependently() {
        try (Log log = Log.open(dir)) {
            Topic t = log.createTopic("t", 3, TopicConfig.defaults());
            for (int p = 0; p < 3; p++) {
                t.partition(p).append(values("p" + p, p + 1, 1));
            }
            for (int p = 0; p < 3; p++) {
                assertThat(t.partition(p).logEndOffset()).isEqualTo(p + 1);
            }
        }
    }
}
