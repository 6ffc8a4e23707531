package dev.sluice.connect.cdc;

import dev.sluice.stream.json.Json;
import dev.sluice.stream.json.JsonException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/**
 * Turns a column value in PostgreSQL's text form into the JSON value an event carries, by the column's type: booleans
 * and numbers as JSON booleans and numbers (numeric exactly), json and jsonb embedded as JSON, everything else
 * (timestamps, dates, uuids, arrays, ...) as PostgreSQL writes it.
 */
final class TextValues {
    private static final int BOOL = 16;
    private static final int INT8 = 20;
    private static final int INT2 = 21;
    private static final int INT4 = 23;
    private static final int OID = 26;
    private static final int JSON = 114;
    private static final int FLOAT4 = 700;
    private static final int FLOAT8 = 701;
    private static final int NUMERIC = 1700;
    private static final int JSONB = 3802;

    private TextValues() {}

    static Object value(int typeOid, String text) {
        if (text == null) {
            return null;
        }
        return switch (typeOid) {
            case BOOL -> text.equals("t");
            case INT2, INT4, INT8, OID -> Long.parseLong(text);
            case FLOAT4, FLOAT8 -> finite(text) ? Double.parseDouble(text) : text;
            case NUMERIC -> finite(text) ? new BigDecimal(text) : text;
            case JSON, JSONB -> json(text);
            default -> text;
        };
    }

    private static boolean finite(String text) {
        return !(text.equals("NaN") || text.endsWith("Infinity"));
    }

    private static Object json(String text) {
        try {
            return Json.parseValue(text.getBytes(StandardCharsets.UTF_8));
        } catch (JsonException e) {
            return text; // PostgreSQL checked it; a parser difference keeps the text
        }
    }
}
