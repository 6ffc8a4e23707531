package dev.sluice.connect.parquet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
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
 * next {@link #copy} or {@link #await}.
 */
final class CopyThread implements AutoCloseable {
    private final DuckDBConnection db;
    private final ExecutorService executor;
    private Future<?> running;

    CopyThread(String name) throws SQLException {
        this.db = DriverManager.getConnection("jdbc:duckdb:").unwrap(DuckDBConnection.class);
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true); // a copy left running at exit is thrown away with its buffer anyway
            return t;
        });
    }

    /** Starts {@code copy} once the copy before it is done, and deletes {@code lines}, the buffer it reads, after it. */
    void copy(String copy, Path lines) throws SQLException, IOException {
        await();
        running = executor.submit(() -> {
            try (Statement s = db.createStatement()) {
                s.execute(copy);
            }
            Files.deleteIfExists(lines);
            return null;
        });
    }

    /** Waits for the running copy, if any. */
    void await() throws SQLException, IOException {
        Future<?> f = running;
        if (f == null) {
            return;
        }
        running = null;
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while DuckDB writes Parquet files", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SQLException s) {
                throw s;
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(cause.getMessage(), cause);
        }
    }

    /** Waits for the running copy, ignoring its failure: what it wrote is about to be thrown away. */
    void settle() {
        try {
            await();
        } catch (SQLException | IOException e) {
            // its files are deleted by the caller, and its events are read again
        }
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(1, TimeUnit.MINUTES)) {
                executor.shutdownNow();
            }
            db.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException e) {
            // nothing of it is kept
        }
    }
}
