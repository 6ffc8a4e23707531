package dev.sluice.bench.pipelines;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * W1 as the plain Java a developer would write for it, single-threaded: read the file line by line, parse each line
 * with Jackson's streaming parser (every field is read; the four kept fields and the agent are kept), drop the line if
 * the agent contains {@code bot}, and write the four fields as a JSON line with Jackson's generator into one file.
 * The baseline of what W1 costs on this machine without any framework.
 *
 * <p>Run as its own process: {@code LoopW1 INPUT OUTPUT_DIR}. Prints the number of lines written.
 */
public final class LoopW1 {
    private LoopW1() {}

    public static void main(String[] args) throws IOException {
        Path input = Path.of(args[0]);
        Path outDir = Files.createDirectories(Path.of(args[1]));
        JsonFactory json = new JsonFactory();
        long written = 0;
        try (BufferedReader in = Files.newBufferedReader(input, java.nio.charset.StandardCharsets.UTF_8);
                OutputStream file =
                        new BufferedOutputStream(Files.newOutputStream(outDir.resolve("clicks.jsonl")), 1 << 16);
                JsonGenerator out = json.createGenerator(file, JsonEncoding.UTF8)) {
            out.setRootValueSeparator(new com.fasterxml.jackson.core.io.SerializedString("\n"));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (keep(json, line, out)) {
                    written++;
                }
            }
            if (written > 0) {
                out.writeRaw('\n');
            }
        }
        System.out.println(written);
    }

    /** Parses one line; unless it is a bot's, writes the four fields and returns true. */
    private static boolean keep(JsonFactory json, String line, JsonGenerator out) throws IOException {
        long eventId = 0;
        String ts = null;
        String user = null;
        String page = null;
        String agent = null;
        try (JsonParser p = json.createParser(line)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "event_id" -> eventId = p.getLongValue();
                    case "ts" -> ts = p.getText();
                    case "user_id" -> user = p.getText();
                    case "page" -> page = p.getText();
                    case "agent" -> agent = p.getText();
                    default -> p.skipChildren();
                }
            }
        }
        if (agent != null && agent.contains("bot")) {
            return false;
        }
        out.writeStartObject();
        out.writeNumberField("event_id", eventId);
        out.writeStringField("ts", ts);
        out.writeStringField("user_id", user);
        out.writeStringField("page", page);
        out.writeEndObject();
        return true;
    }
}
