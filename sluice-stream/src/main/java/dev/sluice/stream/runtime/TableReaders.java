package dev.sluice.stream.runtime;

import dev.sluice.broker.Broker;
import dev.sluice.stream.join.TableSource;
import dev.sluice.stream.join.Tables;
import dev.sluice.stream.join.VersionedTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The tables of one run: one {@link TableReader} and thread per table, started when a step first asks for it. A table
 * that a source of the run writes is loaded once that source has published what its input held at the start.
 */
final class TableReaders implements Tables, AutoCloseable {
    private final Broker broker;
    private final TaskSupervisor supervisor;
    /** Whether the run's sources that write a topic have published what their input held at the start. */
    private final Predicate<String> sourcesCaughtUp;

    private final Map<TableSource, TableReader> readers = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closed;

    TableReaders(Broker broker, TaskSupervisor supervisor, Predicate<String> sourcesCaughtUp) {
        this.broker = broker;
        this.supervisor = supervisor;
        this.sourcesCaughtUp = sourcesCaughtUp;
    }

    @Override
    public VersionedTable table(TableSource source) {
        TableReader reader = readers.computeIfAbsent(source, s -> {
            if (closed) {
                throw new IllegalStateException("the run has stopped");
            }
            TableReader r = new TableReader(broker, s, supervisor, () -> sourcesCaughtUp.test(s.topic()));
            Thread t = new Thread(r, "sluice-table-" + s.topic());
            t.setDaemon(true);
            synchronized (threads) {
                threads.add(t);
            }
            t.start();
            return r;
        });
        try {
            return reader.awaitLoaded();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while table '" + source.topic() + "' was read", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        readers.values().forEach(TableReader::stop);
        synchronized (threads) {
            for (Thread t : threads) {
                try {
                    t.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
