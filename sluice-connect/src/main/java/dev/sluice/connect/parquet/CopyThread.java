package dev.sluice.connect.parquet;

import dev.sluice.broker.TopicPartition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.duckdb.DuckDBConnection;

/**
 * Runs the {@code COPY} statements that turn buffers of JSON lines into Parquet files on a thread of its own, in an
 * in-memory DuckDB, so that DuckDB converts one buffer while the task's thread fills the next (on two cores, both
 * work). One copy at a time: a task that rolls a buffer while the last copy still runs waits for it, rather than
 * filling the disk with buffers faster than DuckDB takes them. A copy's failure is thrown to the task's thread by the
 * next {@link #copy} or {@link #await}, and by every one after (the buffer it read is gone from the sink's state, so
 * the task must stop and its partitions be read again from the last commit): an {@link UncheckedIOException}.
 */
final class CopyThread implements AutoCloseable {
    private final Path dir;
    private final DuckDBConnection db;
    private final ExecutorService executor;
    private Future<?> running;
    private TopicPartition runningFor;
    private UncheckedIOException failure;
    private TopicPartition failedFor;
    /** The statement being executed, for {@link #close} to cancel. */
    private volatile Statement executing;

    /** @param dir the directory the files go to, for messages */
    CopyThread(String name, Path dir) throws SQLException {
        this.dir = dir;
        this.db = DriverManager.getConnection("jdbc:duckdb:").unwrap(DuckDBConnection.class);
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true); // a copy left running at exit is thrown away with its buffer anyway
            return t;
        });
    }

    /**
     * Starts {@code copy}, of a buffer of {@code partition}, once the copy before it is done, and deletes {@code lines},
     * the buffer it reads, after it.
     */
    void copy(String copy, Path lines, TopicPartition partition) {
        await();
        runningFor = partition;
        running = executor.submit(() -> {
            try (Statement s = db.createStatement()) {
                executing = s;
                s.execute(copy);
            } finally {
                executing = null;
            }
            Files.deleteIfExists(lines);
            return null;
        });
    }

    /** Waits for the running copy, if any. */
    void await() {
        if (failure != null) {
            throw failure;
        }
        Future<?> f = running;
        if (f == null) {
            return;
        }
        running = null;
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(new IOException("interrupted while DuckDB writes Parquet files", e));
        } catch (ExecutionException e) {
            throw failed(e.getCause());
        }
    }

    private UncheckedIOException failed(Throwable cause) {
        failure = new UncheckedIOException(
                "cannot write Parquet files to " + dir + ": " + cause.getMessage(),
                cause instanceof IOException io ? io : new IOException(cause));
        failedFor = runningFor;
        return failure;
    }

    /**
     * Waits for the running copy, forgetting its failure if it copied one of {@code discarded}, partitions whose files
     * are about to be thrown away and whose events are read again.
     */
    void settle(Collection<TopicPartition> discarded) {
        try {
            await();
        } catch (UncheckedIOException e) {
            if (!discarded.contains(failedFor)) {
                throw e; // a partition the task keeps lost a part of its file
            }
            failure = null;
        }
    }

    /**
     * Cancels the running copy and waits for it to end, even when interrupted (a copy left running would write into a
     * directory its partition's next owner uses), then closes the database.
     */
    @Override
    public void close() {
        executor.shutdown();
        Statement s = executing;
        if (s != null) {
            try {
                s.cancel();
            } catch (SQLException e) {
                // it ends on its own, soon: a copy is one buffer
            }
        }
        boolean interrupted = false;
        while (true) {
            try {
                if (executor.awaitTermination(1, TimeUnit.SECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        try {
            db.close();
        } catch (SQLException e) {
            // nothing of it is kept
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
