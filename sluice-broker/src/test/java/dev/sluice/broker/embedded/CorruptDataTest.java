package dev.sluice.broker.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.broker.Consumer;
import dev.sluice.broker.ConsumerConfig;
import dev.sluice.broker.CorruptDataException;
import dev.sluice.broker.Event;
import dev.sluice.broker.NewTopic;
import dev.sluice.broker.Producer;
import dev.sluice.broker.TopicPartition;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damage in data that was already on disk at a clean shutdown is caught by the consumer's CRC check, not served. */
class CorruptDataTest {
    @TempDir
    Path dir;

    @Test
    void shouldRefuseToHandOutEventsOfADamagedBatchAndSayHowToSkipIt() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.open(dir)) {
            broker.admin().createTopic(NewTopic.of("t", 1));
            try (Producer p = broker.producer()) {
                p.send("t", Event.of("k", "x".repeat(1000), 1)).get();
                p.send("t", Event.of("k", "y".repeat(1000), 2)).get();
            }
        }
        Path segment = dir.resolve("topics/t/0/00000000000000000000.log");
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            f.seek(500); // inside the first batch's value
            f.write('!');
        }
        try (EmbeddedBroker broker = EmbeddedBroker.open(dir);
                Consumer c = broker.consumer(ConsumerConfig.defaults())) {
            TopicPartition tp = new TopicPartition("t", 0);
            c.assign(List.of(tp));
            assertThatThrownBy(() -> c.poll(Duration.ofSeconds(1)))
                    .isInstanceOf(CorruptDataException.class)
                    .hasMessageStartingWith("Corrupt data in t/0 at offset 0: CRC mismatch")
                    .hasMessageContaining("skip the batch by seeking to offset 1");
            c.seek(tp, 1);
            assertThat(c.poll(Duration.ofSeconds(1)))
                    .extracting(e -> e.valueAsString().charAt(0))
                    .containsExactly('y');
        }
    }
}
