package dev.sluice.kafka;

import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.Event;
import dev.sluice.broker.Header;
import dev.sluice.broker.TopicPartition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Conversions between the SPI's values and Kafka's. */
final class KafkaRecords {
    private KafkaRecords() {}

    static Headers headers(Event event) {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : event.headers()) {
            headers.add(new RecordHeader(h.key(), h.value()));
        }
        return headers;
    }

    static ConsumedEvent event(ConsumerRecord<byte[], byte[]> r) {
        List<Header> headers = new ArrayList<>();
        for (org.apache.kafka.common.header.Header h : r.headers()) {
            headers.add(new Header(h.key(), h.value()));
        }
        return new ConsumedEvent(r.topic(), r.partition(), r.offset(), r.timestamp(), r.key(), r.value(), headers);
    }

    static org.apache.kafka.common.TopicPartition kafka(TopicPartition tp) {
        return new org.apache.kafka.common.TopicPartition(tp.topic(), tp.partition());
    }

    static TopicPartition sluice(org.apache.kafka.common.TopicPartition tp) {
        return new TopicPartition(tp.topic(), tp.partition());
    }

    static List<org.apache.kafka.common.TopicPartition> kafka(Collection<TopicPartition> tps) {
        return tps.stream().map(KafkaRecords::kafka).toList();
    }

    static List<TopicPartition> sluice(Collection<org.apache.kafka.common.TopicPartition> tps) {
        return tps.stream().map(KafkaRecords::sluice).sorted().toList();
    }
}
