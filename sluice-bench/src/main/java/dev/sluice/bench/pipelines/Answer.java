package dev.sluice.bench.pipelines;

import java.util.Map;
import java.util.TreeMap;

/**
 * The answer of one workload, from an engine's output files or computed from the input by {@link Expected}.
 *
 * @param parts the tally of each kind of output row: {@code clicks} for W1, {@code pages} and {@code users} for W2
 * @param perPage W1: output rows per page (empty for W2), so that a mismatch shows where
 * @param leftovers files of the output directory that hold data but are hidden (in progress, pending): an engine that
 *     leaves any did not deliver everything
 */
record Answer(Map<String, Tally> parts, Map<String, Long> perPage, long leftovers) {
    Answer {
        parts = new TreeMap<>(parts);
        perPage = new TreeMap<>(perPage);
    }

    /** What differs from {@code expected}, or an empty text if nothing does. */
    String differences(Answer expected) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, Tally> e : expected.parts.entrySet()) {
            Tally got = parts.getOrDefault(e.getKey(), Tally.EMPTY);
            if (!got.equals(e.getValue())) {
                out.append(String.format(
                        "%s: %,d rows, total %,d, digest %s; expected %,d rows, total %,d, digest %s. ",
                        e.getKey(),
                        got.rows(),
                        got.total(),
                        got.hex(),
                        e.getValue().rows(),
                        e.getValue().total(),
                        e.getValue().hex()));
            }
        }
        if (!perPage.equals(expected.perPage)) {
            out.append("rows per page differ: ");
            int shown = 0;
            for (Map.Entry<String, Long> e : expected.perPage.entrySet()) {
                long got = perPage.getOrDefault(e.getKey(), 0L);
                if (got != e.getValue() && shown++ < 5) {
                    out.append(String.format("%s %,d (expected %,d), ", e.getKey(), got, e.getValue()));
                }
            }
            out.append(shown > 5 ? "and " + (shown - 5) + " more pages. " : "");
        }
        if (leftovers > 0) {
            out.append(leftovers).append(" hidden files with data left in the output directory. ");
        }
        return out.toString().trim();
    }
}
