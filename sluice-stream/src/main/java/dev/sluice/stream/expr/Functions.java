package dev.sluice.stream.expr;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/**
 * Functions available to expressions as {@code fn:name(...)}, for example {@code fn:lower(event.country)}. Every
 * function is pure except {@code now} and {@code uuid}.
 */
public final class Functions {
    public String lower(Object s) {
        return s == null ? null : s.toString().toLowerCase(Locale.ROOT);
    }

    public String upper(Object s) {
        return s == null ? null : s.toString().toUpperCase(Locale.ROOT);
    }

    public String trim(Object s) {
        return s == null ? null : s.toString().trim();
    }

    public String concat(Object... parts) {
        StringBuilder sb = new StringBuilder();
        for (Object p : parts) {
            sb.append(p == null ? "" : p);
        }
        return sb.toString();
    }

    /** Epoch milliseconds of an ISO-8601 instant, or the number itself. */
    public Long millis(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Number n) {
            return n.longValue();
        }
        return Instant.parse(v.toString()).toEpochMilli();
    }

    /** ISO-8601 UTC text of epoch milliseconds. */
    public String iso(Object millis) {
        return millis == null
                ? null
                : Instant.ofEpochMilli(((Number) millis).longValue()).toString();
    }

    public long now() {
        return System.currentTimeMillis();
    }

    public String uuid() {
        return UUID.randomUUID().toString();
    }

    /** A stable name-based UUID of the text: the same input always gives the same id. */
    public String uuidOf(Object s) {
        return UUID.nameUUIDFromBytes(String.valueOf(s).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    public boolean has(Object map, String field) {
        return map instanceof java.util.Map<?, ?> m && m.get(field) != null;
    }
}
