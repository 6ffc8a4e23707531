package dev.sluice.log.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class RecordBatchCodecProperties {

    record Input(long timestamp, byte[] key, byte[] value, List<Header> headers) {}

    @Property(tries = 300)
    void shouldDecodeExactlyWhatWasEncoded(@ForAll("records") @Size(min = 1, max = 40) List<Input> inputs) {
        RecordBatchBuilder builder = new RecordBatchBuilder(capacityFor(inputs));
        for (Input in : inputs) {
            assertThat(builder.tryAppend(in.timestamp(), in.key(), in.value(), in.headers()))
                    .isTrue();
        }
        RecordBatch built = builder.build();
        built.assignBaseOffset(1_000);

        RecordBatch read = RecordBatch.wrap(copy(built.buffer()));
        read.ensureValid();
        assertThat(read.recordCount()).isEqualTo(inputs.size());
        assertThat(read.lastOffset()).isEqualTo(1_000 + inputs.size() - 1);
        assertThat(read.maxTimestamp())
                .isEqualTo(inputs.stream().mapToLong(Input::timestamp).max().orElseThrow());

        List<LogRecord> records = read.records();
        for (int i = 0; i < inputs.size(); i++) {
            Input in = inputs.get(i);
            assertThat(records.get(i))
                    .isEqualTo(new LogRecord(1_000 + i, in.timestamp(), in.key(), in.value(), in.headers()));
        }
    }

    @Property(tries = 200)
    void shouldDetectAnyFlippedByteCoveredByTheCrc(
            @ForAll("records") @Size(min = 1, max = 5) List<Input> inputs,
            @ForAll @IntRange(min = 0, max = 10_000) int where) {
        RecordBatchBuilder builder = new RecordBatchBuilder(capacityFor(inputs));
        inputs.forEach(in -> builder.tryAppend(in.timestamp(), in.key(), in.value(), in.headers()));
        ByteBuffer bytes = copy(builder.build().buffer());
        int covered = bytes.limit() - RecordBatchFormat.ATTRIBUTES_OFFSET;
        int position = RecordBatchFormat.ATTRIBUTES_OFFSET + where % covered;
        bytes.put(position, (byte) (bytes.get(position) ^ 0x5a));

        assertThatThrownBy(() -> RecordBatch.wrap(bytes).ensureValid()).isInstanceOf(CorruptRecordException.class);
    }

    @Property
    void varintsRoundTrip(@ForAll int i, @ForAll long l) {
        ByteBuffer b = ByteBuffer.allocate(32);
        Varint.writeInt(i, b);
        Varint.writeLong(l, b);
        assertThat(b.position()).isEqualTo(Varint.sizeOfInt(i) + Varint.sizeOfLong(l));
        b.flip();
        assertThat(Varint.readInt(b)).isEqualTo(i);
        assertThat(Varint.readLong(b)).isEqualTo(l);
    }

    @Property(tries = 50)
    void shouldRefuseARecordThatDoesNotFitAndKeepTheBatchIntact(@ForAll @IntRange(min = 100, max = 5000) int size) {
        RecordBatchBuilder builder = new RecordBatchBuilder(RecordBatchFormat.HEADER_SIZE + 50);
        assertThat(builder.tryAppend(1L, null, new byte[size], List.of())).isFalse();
        assertThat(builder.tryAppend(1L, null, new byte[10], List.of())).isTrue();
        RecordBatch batch = builder.build();
        RecordBatch.wrap(copy(batch.buffer())).ensureValid();
        assertThat(batch.recordCount()).isEqualTo(1);
        assertThat(RecordBatchBuilder.sizeOfSingleRecordBatch(null, new byte[10], List.of()))
                .isEqualTo(batch.sizeInBytes());
    }

    @Provide
    Arbitrary<List<Input>> records() {
        Arbitrary<byte[]> keys =
                Arbitraries.bytes().array(byte[].class).ofMaxSize(40).injectNull(0.3);
        Arbitrary<byte[]> values = Arbitraries.oneOf(
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(200),
                        Arbitraries.bytes()
                                .array(byte[].class)
                                .ofMinSize(10_000)
                                .ofMaxSize(70_000))
                .injectNull(0.1);
        Arbitrary<Long> timestamps = Arbitraries.oneOf(
                Arbitraries.longs().between(0, 4_102_444_800_000L),
                Arbitraries.longs().between(-1, 10));
        Arbitrary<Header> header = Combinators.combine(
                        Arbitraries.strings().ofMaxLength(20),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(30).injectNull(0.2))
                .as(Header::new);
        Arbitrary<List<Header>> headers = header.list().ofMaxSize(4);
        return Combinators.combine(timestamps, keys, values, headers)
                .as(Input::new)
                .list();
    }

    private static int capacityFor(List<Input> inputs) {
        int size = RecordBatchFormat.HEADER_SIZE;
        for (Input in : inputs) {
            size += RecordBatchBuilder.sizeOfSingleRecordBatch(in.key(), in.value(), in.headers()) + 20;
        }
        return size;
    }

    private static ByteBuffer copy(ByteBuffer b) {
        ByteBuffer c = ByteBuffer.allocate(b.remaining());
        c.put(b.duplicate()).flip();
        return c;
    }
}
