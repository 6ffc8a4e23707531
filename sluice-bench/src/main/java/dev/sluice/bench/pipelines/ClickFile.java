package dev.sluice.bench.pipelines;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

/**
 * The input of compare-pipelines: a JSON-lines file of page clicks, the same bytes for the same number of events
 * (seed 42), written once into a cache directory and reused (as {@code clicks-v1-N.jsonl}).
 *
 * <p>Each line is about 290 bytes with nine fields: {@code event_id} (1, 2, ...), {@code ts} (ISO-8601 UTC with
 * milliseconds), {@code user_id} (one of 500,000), {@code page} (one of 50), {@code agent} (10% of them a crawler whose
 * agent contains {@code bot}, no other agent does), {@code country}, {@code referrer}, {@code duration_ms} and
 * {@code session}. Event time advances by 100,000 clicks per minute from {@link #START}; each click's {@code ts} is
 * that clock minus 0 to 3,000 ms, so the file is out of order by at most 3 s (less than the 5 s the workloads allow).
 *
 * <p>While it writes the file, {@link Expected} computes the answers the workloads must give. Not thread-safe; one
 * writer per file (the file appears under its final name only once it is complete).
 */
final class ClickFile {
    static final Instant START = Instant.parse("2026-11-30T10:00:00Z");
    static final int USERS = 500_000;
    static final int PAGES = 50;
    static final long CLICKS_PER_MINUTE = 100_000;
    static final int MAX_DISORDER_MS = 3_000;
    static final long SEED = 42;
    /** In the file's name: a change to what the file holds must change it, so that no stale file is reused. */
    static final String VERSION = "v1";

    private static final String[] COUNTRIES = {
        "DE", "US", "FR", "GB", "NL", "PT", "ES", "IT", "PL", "SE", "BR", "IN", "JP", "CA", "AU", "AT", "CH", "BE",
        "DK", "NO"
    };
    private static final String[] HUMANS = {
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) Version/18.1 Safari/605.1",
        "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) Mobile/15E148",
    };
    private static final String[] BOTS = {
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    };
    private static final String[] REFERRERS = {
        "https://www.google.com/search?q=sluice+pipelines", "https://news.ycombinator.com/item?id=4242424",
        "https://www.example.org/blog/2026/11/streaming", "https://duckduckgo.com/?q=event+time+windows",
    };
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);

    private ClickFile() {}

    /** The file for {@code events} clicks in {@code cacheDir}, written first if it is not there yet. */
    static Path ensure(Path cacheDir, long events) throws IOException {
        Path file = cacheDir.resolve("clicks-" + VERSION + "-" + events + ".jsonl");
        Path answers = Expected.fileFor(file);
        if (Files.isRegularFile(file) && Files.isRegularFile(answers)) {
            return file;
        }
        Files.createDirectories(cacheDir);
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Expected expected = new Expected();
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(partial), 1 << 20)) {
            write(events, out, expected);
        }
        expected.save(answers);
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    private static void write(long events, OutputStream out, Expected expected) throws IOException {
        SplittableRandom random = new SplittableRandom(SEED);
        long start = START.toEpochMilli();
        StringBuilder line = new StringBuilder(400);
        for (long i = 0; i < events; i++) {
            long clock = start + i * 60_000 / CLICKS_PER_MINUTE;
            long ts = clock - random.nextInt(MAX_DISORDER_MS + 1);
            String time = ISO_MILLIS.format(Instant.ofEpochMilli(ts));
            String user = userId(random.nextInt(USERS));
            String page = "/p/" + random.nextInt(PAGES);
            boolean bot = random.nextInt(10) == 0;
            String agent = bot ? BOTS[random.nextInt(BOTS.length)] : HUMANS[random.nextInt(HUMANS.length)];
            line.setLength(0);
            line.append("{\"event_id\":")
                    .append(i + 1)
                    .append(",\"ts\":\"")
                    .append(ISO_MILLIS.format(Instant.ofEpochMilli(ts)))
                    .append("\",\"user_id\":\"")
                    .append(user)
                    .append("\",\"page\":\"")
                    .append(page)
                    .append("\",\"agent\":\"")
                    .append(agent)
                    .append("\",\"country\":\"")
                    .append(COUNTRIES[random.nextInt(COUNTRIES.length)])
                    .append("\",\"referrer\":\"")
                    .append(REFERRERS[random.nextInt(REFERRERS.length)])
                    .append("\",\"duration_ms\":")
                    .append(50 + random.nextInt(30_000))
                    .append(",\"session\":\"s")
                    .append(Long.toHexString(random.nextLong() | Long.MIN_VALUE))
                    .append("\"}\n");
            out.write(line.toString().getBytes(StandardCharsets.US_ASCII));
            expected.add(new Click(i + 1, time, ts, user, page, bot), clock);
        }
        expected.finish();
    }

    /** {@code u} and six digits: {@code u000042}. */
    private static String userId(int n) {
        String digits = Integer.toString(n);
        return "u" + "000000".substring(digits.length()) + digits;
    }

    /** What the workloads read of a click: W1 keeps the first four fields of it, W2 counts it by page and user. */
    record Click(long eventId, String ts, long timeMillis, String user, String page, boolean bot) {}
}
