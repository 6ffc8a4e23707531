package dev.sluice.log.testing;

import dev.sluice.log.record.Header;
import dev.sluice.log.record.RecordBatch;
import dev.sluice.log.record.RecordBatchBuilder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Test helpers that build small batches. */
public final class Batches {
    private Batches() {}

    public static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    public static String string(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** One batch of records "prefix-0".."prefix-(n-1)" with the given timestamp and no keys. */
    public static RecordBatch values(String prefix, int n, long timestamp) {
        RecordBatchBuilder b = new RecordBatchBuilder(64 + n * (prefix.length() + 32));
        for (int i = 0; i < n; i++) {
            if (!b.tryAppend(timestamp, null, bytes(prefix + "-" + i), List.of())) {
                throw new IllegalStateException("test batch too small");
            }
        }
        return b.build();
    }

    /** One keyed record. */
    public static RecordBatch keyed(String key, String value, long timestamp) {
        RecordBatchBuilder b = new RecordBatchBuilder(256 + (value == null ? 0 : value.length()) + key.length());
        b.tryAppend(timestamp, bytes(key), bytes(value), List.of(Header.of("h", "v")));
        return b.build();
    }

    /** One record of {@code size} value bytes. */
    public static RecordBatch sized(int size, long timestamp) {
        RecordBatchBuilder b = new RecordBatchBuilder(size + 128);
        b.tryAppend(timestamp, null, new byte[size], List.of());
        return b.build();
    }
}
