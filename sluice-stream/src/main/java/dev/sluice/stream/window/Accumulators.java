package dev.sluice.stream.window;

import com.tdunning.math.stats.MergingDigest;
import com.tdunning.math.stats.TDigest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;

/** The accumulators behind {@link Aggregations}. Values that do not fit (text for sum) are skipped. */
final class Accumulators {
    private Accumulators() {}

    static final class Count implements Accumulator {
        private long n;

        @Override
        public void add(Object value, long timestamp) {
            if (value != null) {
                n++;
            }
        }

        @Override
        public void merge(Accumulator other) {
            n += ((Count) other).n;
        }

        @Override
        public Object result() {
            return n;
        }

        @Override
        public Object save() {
            return n;
        }

        @Override
        public void load(Object saved) {
            n = ((Number) saved).longValue();
        }
    }

    /** Integers sum exactly as a long; any floating-point value turns the sum into a double. */
    static final class Sum implements Accumulator {
        private long whole;
        private double fraction;
        private boolean isDouble;

        @Override
        public void add(Object value, long timestamp) {
            if (value instanceof Number n) {
                if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
                    whole += n.longValue();
                } else {
                    fraction += n.doubleValue();
                    isDouble = true;
                }
            }
        }

        @Override
        public void merge(Accumulator other) {
            Sum o = (Sum) other;
            whole += o.whole;
            fraction += o.fraction;
            isDouble |= o.isDouble;
        }

        @Override
        public Object result() {
            return isDouble ? (Object) (whole + fraction) : (Object) whole;
        }

        @Override
        public Object save() {
            return List.of(whole, fraction, isDouble);
        }

        @Override
        public void load(Object saved) {
            List<?> l = (List<?>) saved;
            whole = ((Number) l.get(0)).longValue();
            fraction = ((Number) l.get(1)).doubleValue();
            isDouble = (Boolean) l.get(2);
        }
    }

    static final class Avg implements Accumulator {
        private double sum;
        private long n;

        @Override
        public void add(Object value, long timestamp) {
            if (value instanceof Number v) {
                sum += v.doubleValue();
                n++;
            }
        }

        @Override
        public void merge(Accumulator other) {
            Avg o = (Avg) other;
            sum += o.sum;
            n += o.n;
        }

        @Override
        public Object result() {
            return n == 0 ? null : sum / n;
        }

        @Override
        public Object save() {
            return List.of(sum, n);
        }

        @Override
        public void load(Object saved) {
            List<?> l = (List<?>) saved;
            sum = ((Number) l.get(0)).doubleValue();
            n = ((Number) l.get(1)).longValue();
        }
    }

    /** min or max: numbers by value, anything else by its text. */
    static final class Extreme implements Accumulator {
        private final boolean min;
        private Object best;

        Extreme(boolean min) {
            this.min = min;
        }

        @Override
        public void add(Object value, long timestamp) {
            if (value != null && (best == null || (min ? compare(value, best) < 0 : compare(value, best) > 0))) {
                best = value;
            }
        }

        @Override
        public void merge(Accumulator other) {
            add(((Extreme) other).best, 0);
        }

        @Override
        public Object result() {
            return best;
        }

        @Override
        public Object save() {
            return best;
        }

        @Override
        public void load(Object saved) {
            best = saved;
        }

        private static int compare(Object a, Object b) {
            if (a instanceof Number x && b instanceof Number y) {
                return Double.compare(x.doubleValue(), y.doubleValue());
            }
            return a.toString().compareTo(b.toString());
        }
    }

    /** Exact: every distinct value is kept. */
    static final class Distinct implements Accumulator {
        private final Set<Object> seen = new HashSet<>();

        @Override
        public void add(Object value, long timestamp) {
            if (value != null) {
                seen.add(normalize(value));
            }
        }

        @Override
        public void merge(Accumulator other) {
            seen.addAll(((Distinct) other).seen);
        }

        @Override
        public Object result() {
            return (long) seen.size();
        }

        @Override
        public Object save() {
            return new ArrayList<>(seen);
        }

        @Override
        public void load(Object saved) {
            seen.clear();
            for (Object v : (List<?>) saved) {
                seen.add(normalize(v));
            }
        }
    }

    /**
     * Apache DataSketches' HyperLogLog (2^14 buckets, about 0.8% standard error): a few bytes per value while a window
     * of a key has seen few values (a list, then a set of hashes), at most 16 KiB once it has seen many, checkpointed
     * in its compact form. (Before 2026-12-08 every window and key held 16 KiB of registers; such a checkpoint is not
     * read: that window's count starts again, with a warning.)
     */
    static final class ApproxDistinct implements Accumulator {
        private static final int LG_K = 14;
        private HllSketch sketch = new HllSketch(LG_K, TgtHllType.HLL_8);

        @Override
        public void add(Object value, long timestamp) {
            if (value != null) {
                sketch.update(normalize(value).toString());
            }
        }

        @Override
        public void merge(Accumulator other) {
            Union union = new Union(LG_K);
            union.update(sketch);
            union.update(((ApproxDistinct) other).sketch);
            sketch = union.getResult(TgtHllType.HLL_8);
        }

        @Override
        public Object result() {
            return Math.round(sketch.getEstimate());
        }

        @Override
        public Object save() {
            return Base64.getEncoder().encodeToString(sketch.toCompactByteArray());
        }

        @Override
        public void load(Object saved) {
            try {
                sketch = HllSketch.heapify(Base64.getDecoder().decode((String) saved));
            } catch (RuntimeException notASketch) {
                System.getLogger("dev.sluice.stream")
                        .log(
                                System.Logger.Level.WARNING,
                                "approx_count_distinct: a checkpoint of an earlier version is not read; the distinct"
                                        + " count of this window starts again");
                sketch = new HllSketch(LG_K, TgtHllType.HLL_8);
            }
        }
    }

    /** A t-digest (compression 100): percentiles within a fraction of a percent, tightest in the tails. */
    static final class Percentile implements Accumulator {
        private final double quantile;
        private TDigest digest = new MergingDigest(100);

        Percentile(double quantile) {
            this.quantile = quantile;
        }

        @Override
        public void add(Object value, long timestamp) {
            if (value instanceof Number n) {
                digest.add(n.doubleValue());
            }
        }

        @Override
        public void merge(Accumulator other) {
            digest.add(((Percentile) other).digest);
        }

        @Override
        public Object result() {
            return digest.size() == 0 ? null : digest.quantile(quantile);
        }

        @Override
        public Object save() {
            ByteBuffer buffer = ByteBuffer.allocate(digest.smallByteSize());
            digest.asSmallBytes(buffer);
            return Base64.getEncoder().encodeToString(buffer.array());
        }

        @Override
        public void load(Object saved) {
            digest = MergingDigest.fromBytes(ByteBuffer.wrap(Base64.getDecoder().decode((String) saved)));
        }
    }

    /** first: the value with the earliest event time; last: the latest (ties: the one added first, or last). */
    static final class FirstLast implements Accumulator {
        private final boolean first;
        private Object value;
        private long at;
        private boolean any;

        FirstLast(boolean first) {
            this.first = first;
        }

        @Override
        public void add(Object v, long timestamp) {
            if (v != null && (!any || (first ? timestamp < at : timestamp >= at))) {
                value = v;
                at = timestamp;
                any = true;
            }
        }

        @Override
        public void merge(Accumulator other) {
            FirstLast o = (FirstLast) other;
            if (o.any) {
                add(o.value, o.at);
            }
        }

        @Override
        public Object result() {
            return value;
        }

        @Override
        public Object save() {
            return any ? Arrays.asList(value, at) : null;
        }

        @Override
        public void load(Object saved) {
            any = saved != null;
            if (any) {
                List<?> l = (List<?>) saved;
                value = l.get(0);
                at = ((Number) l.get(1)).longValue();
            }
        }
    }

    /** The n most frequent values, as [{value, count}], most frequent first (ties by value). */
    static final class Top implements Accumulator {
        private final int n;
        private final Map<Object, Long> counts = new HashMap<>();

        Top(int n) {
            this.n = n;
        }

        @Override
        public void add(Object value, long timestamp) {
            if (value != null) {
                counts.merge(normalize(value), 1L, Long::sum);
            }
        }

        @Override
        public void merge(Accumulator other) {
            ((Top) other).counts.forEach((v, c) -> counts.merge(v, c, Long::sum));
        }

        @Override
        public Object result() {
            List<Map.Entry<Object, Long>> entries = new ArrayList<>(counts.entrySet());
            entries.sort(Map.Entry.<Object, Long>comparingByValue(Comparator.reverseOrder())
                    .thenComparing(e -> e.getKey().toString()));
            List<Map<String, Object>> out = new ArrayList<>();
            for (Map.Entry<Object, Long> e : entries.subList(0, Math.min(n, entries.size()))) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("value", e.getKey());
                item.put("count", e.getValue());
                out.add(item);
            }
            return out;
        }

        @Override
        public Object save() {
            List<Object> pairs = new ArrayList<>();
            counts.forEach((v, c) -> pairs.add(List.of(v, c)));
            return pairs;
        }

        @Override
        public void load(Object saved) {
            counts.clear();
            for (Object pair : (List<?>) saved) {
                List<?> l = (List<?>) pair;
                counts.put(normalize(l.get(0)), ((Number) l.get(1)).longValue());
            }
        }
    }

    /** 1, 1L and 1.0 are the same value; 1.5 stays a double. */
    static Object normalize(Object value) {
        if (value instanceof Number n) {
            return isWhole(n) ? (Object) n.longValue() : (Object) n.doubleValue();
        }
        return value;
    }

    private static boolean isWhole(Number n) {
        if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
            return true;
        }
        double d = n.doubleValue();
        return d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 9.0e15;
    }
}
