package dev.sluice.stream.expr;

import dev.sluice.broker.Header;
import dev.sluice.stream.StreamRecord;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.jexl3.JexlContext;

/** Exposes one record to an expression; read-only. */
final class RecordContext implements JexlContext {
    private final StreamRecord record;

    RecordContext(StreamRecord record) {
        this.record = record;
    }

    @Override
    public Object get(String name) {
        return switch (name) {
            case "event" -> record.isParsed() ? record.fields() : record.value();
            case "key" -> record.keyAsString();
            case "timestamp" -> record.timestamp();
            case "headers" -> headers();
            default -> null;
        };
    }

    @Override
    public void set(String name, Object value) {
        throw new UnsupportedOperationException("expressions cannot assign variables");
    }

    @Override
    public boolean has(String name) {
        return name.equals("event") || name.equals("key") || name.equals("timestamp") || name.equals("headers");
    }

    private Map<String, String> headers() {
        Map<String, String> m = new HashMap<>();
        for (Header h : record.headers()) {
            m.put(h.key(), h.valueAsString());
        }
        return m;
    }
}
