package dev.sluice.broker;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.utils.Utils;

/** Keys land on the same partitions as with Apache Kafka's own default partitioner. */
class KeyPartitionerProperties {
    @Property(tries = 2000)
    void shouldMatchKafkasMurmur2(@ForAll @Size(max = 200) byte[] key) {
        assertThat(KeyPartitioner.murmur2(key)).isEqualTo(Utils.murmur2(key));
    }

    @Property(tries = 2000)
    void shouldPickTheSamePartitionAsKafka(
            @ForAll @Size(max = 64) byte[] key, @ForAll @IntRange(min = 1, max = 1000) int partitions) {
        assertThat(KeyPartitioner.partition(key, partitions))
                .isEqualTo(BuiltInPartitioner.partitionForKey(key, partitions));
    }
}
