package dev.sluice.bench.pipelines;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The answers of W1 and W2 for a click file, computed while {@link ClickFile} writes it and saved beside it
 * ({@code clicks-N.expected.json}).
 *
 * <p>W2's windows are counted as the clicks come: since a click's time is at most {@link ClickFile#MAX_DISORDER_MS}
 * behind the generator's clock, a window whose end is that far behind the clock gets no more clicks and is added to
 * the tally then, so only the last two minutes of counts are held. Not thread-safe.
 */
final class Expected {
    static final long WINDOW_MS = 60_000;

    private Tally clicks = Tally.EMPTY;
    private final Map<String, Long> perPage = new HashMap<>();
    private final Windows pages = new Windows("page");
    private final Windows users = new Windows("user_id");

    static Path fileFor(Path clickFile) {
        return clickFile.resolveSibling(clickFile.getFileName().toString().replace(".jsonl", ".expected.json"));
    }

    void add(ClickFile.Click click, long clock) {
        if (!click.bot()) {
            clicks = clicks.plus(Tally.w1Row(click.eventId(), click.ts(), click.user(), click.page()), 1);
            perPage.merge(click.page(), 1L, Long::sum);
        }
        pages.add(click.page(), click.timeMillis(), clock);
        users.add(click.user(), click.timeMillis(), clock);
    }

    void finish() {
        pages.closeAll();
        users.closeAll();
    }

    Answer w1() {
        return new Answer(Map.of("clicks", clicks), perPage, 0);
    }

    Answer w2() {
        return new Answer(Map.of("pages", pages.tally, "users", users.tally), Map.of(), 0);
    }

    void save(Path file) throws IOException {
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), new Saved(w1(), w2()));
    }

    static Saved load(Path clickFile) throws IOException {
        return new ObjectMapper().readValue(fileFor(clickFile).toFile(), Saved.class);
    }

    /** The answers as saved. */
    record Saved(Answer w1, Answer w2) {}

    /** Counts per key of the open tumbling windows of one aggregation, and the tally of the closed ones. */
    private static final class Windows {
        private final String by;
        private final TreeMap<Long, Map<String, Long>> open = new TreeMap<>();
        private Tally tally = Tally.EMPTY;

        Windows(String by) {
            this.by = by;
        }

        void add(String key, long time, long clock) {
            long start = Math.floorDiv(time, WINDOW_MS) * WINDOW_MS;
            open.computeIfAbsent(start, s -> new HashMap<>()).merge(key, 1L, Long::sum);
            while (!open.isEmpty() && open.firstKey() + WINDOW_MS <= clock - ClickFile.MAX_DISORDER_MS) {
                close(open.pollFirstEntry());
            }
        }

        void closeAll() {
            while (!open.isEmpty()) {
                close(open.pollFirstEntry());
            }
        }

        private void close(Map.Entry<Long, Map<String, Long>> window) {
            for (Map.Entry<String, Long> e : window.getValue().entrySet()) {
                tally = tally.plus(Tally.w2Row(by, e.getKey(), window.getKey(), e.getValue()), e.getValue());
            }
        }
    }
}
