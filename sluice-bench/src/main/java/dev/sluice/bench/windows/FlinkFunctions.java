package dev.sluice.bench.windows;

import java.util.concurrent.atomic.LongAdder;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * The functions of the Flink job. Flink serializes them into the job, so they reach the shared input and the tally
 * through static fields: the MiniCluster runs in this JVM and loads these classes from the application class path.
 * The tally is thread-safe (the sink may run in parallel); the input is set before a job and read-only during it.
 */
final class FlinkFunctions {
    private static volatile WindowEvents input;
    private static final LongAdder RESULTS = new LongAdder();
    private static final LongAdder COUNT_SUM = new LongAdder();

    private FlinkFunctions() {}

    static void useInput(WindowEvents events) {
        input = events;
    }

    static void resetTally() {
        RESULTS.reset();
        COUNT_SUM.reset();
    }

    static WindowTally tally() {
        return new WindowTally(RESULTS.sum(), COUNT_SUM.sum(), 0);
    }

    /** Event {@code i} of the shared input as (key, event time). */
    static final class EventAt implements GeneratorFunction<Long, Tuple2<String, Long>> {
        private static final long serialVersionUID = 1L;

        @Override
        public Tuple2<String, Long> map(Long index) {
            WindowEvents events = input;
            int i = index.intValue();
            return Tuple2.of(events.key(i), events.time(i));
        }
    }

    static final class ByKey implements KeySelector<Tuple2<String, Long>, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(Tuple2<String, Long> event) {
            return event.f0;
        }
    }

    /** Adds the key and window end to the count (it receives the one pre-aggregated count, not the events). */
    static final class WithWindowEnd
            extends ProcessWindowFunction<Long, Tuple3<String, Long, Long>, String, TimeWindow> {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(
                String key, Context context, Iterable<Long> counts, Collector<Tuple3<String, Long, Long>> out) {
            out.collect(
                    Tuple3.of(key, context.window().getEnd(), counts.iterator().next()));
        }
    }

    /** Tallies (key, window end, count) results of closed windows. */
    static final class TallySink implements Sink<Tuple3<String, Long, Long>> {
        private static final long serialVersionUID = 1L;
        private final long closedBound;

        TallySink(long closedBound) {
            this.closedBound = closedBound;
        }

        @Override
        public SinkWriter<Tuple3<String, Long, Long>> createWriter(WriterInitContext context) {
            return new SinkWriter<>() {
                @Override
                public void write(Tuple3<String, Long, Long> result, Context context) {
                    if (result.f1 <= closedBound) {
                        RESULTS.increment();
                        COUNT_SUM.add(result.f2);
                    }
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }
}
