package dev.tapline.forwarder.store.sqlite;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.jboss.logging.Logger;

import dev.tapline.forwarder.store.StoreException;

/**
 * Copies the WAL's committed pages into {@code captures.db} on a thread of its own ({@code store-checkpoint}),
 * instead of on the store writer's thread after a commit (SQLite's automatic checkpoint):
 *
 * <pre>
 *   store writer --commit (WAL fsync'ed: acked)--&gt; committed(bytes) --every CHECKPOINT_BYTES--&gt; this thread
 *                                                        PRAGMA wal_checkpoint(PASSIVE): read the WAL, write the db
 * </pre>
 *
 * A checkpoint reads the WAL's pages back, writes them into the database file and fsyncs it: work the writer
 * thread did between two commits, and that thread is what limits the Kafka indexer (figures:
 * docs/benchmarks/2026-12-04-row6-6.md). Durability does not depend on it: a commit is durable once its WAL frames are
 * fsync'ed, before any checkpoint. A passive checkpoint never blocks the writer nor waits for readers; what it
 * leaves for later it does the next time. If it falls behind, the writer's own automatic checkpoint starts at
 * {@link #WRITER_FALLBACK_PAGES}, so the WAL stays bounded as before.
 */
final class WalCheckpointer implements AutoCloseable {
    /** The writer's own automatic checkpoint, for when this thread falls behind: 64 MiB of 16 KiB pages. */
    static final int WRITER_FALLBACK_PAGES = 4000;
    /**
     * Records committed between two checkpoints: about half of SQLite's automatic interval (1000 pages, 16 MiB
     * with the store's pages), index pages included, so the writer's fallback stays unused.
     */
    static final long CHECKPOINT_BYTES = 8L << 20;
    private static final Logger LOG = Logger.getLogger(WalCheckpointer.class);

    private final Connection connection;
    private final Thread thread;
    private final long everyBytes;
    private long sinceLast; // the writer's thread only
    private boolean wanted; // guarded by this
    private boolean closed; // guarded by this

    WalCheckpointer(SqliteDatabase database, long everyBytes) {
        this.everyBytes = everyBytes;
        try {
            connection = database.connectCheckpointer();
        } catch (SQLException e) {
            throw new StoreException("cannot open the store for checkpoints: " + e.getMessage(), e);
        }
        thread = new Thread(this::run, "store-checkpoint");
        thread.setDaemon(true);
        thread.start();
    }

    /** Called by the writer after each durable commit with the bytes of the records it stored in rows. */
    void committed(long recordBytes) {
        sinceLast += recordBytes;
        if (sinceLast >= everyBytes) {
            sinceLast = 0;
            synchronized (this) {
                wanted = true;
                notifyAll();
            }
        }
    }

    private void run() {
        while (awaitWanted()) {
            try (Statement s = connection.createStatement();
                    ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
                rs.next();
            } catch (SQLException e) {
                // the writer's own checkpoint still bounds the WAL; a broken store is reported by its writes
                LOG.warnf("WAL checkpoint failed: %s", e.getMessage());
            }
        }
    }

    private synchronized boolean awaitWanted() {
        while (!wanted && !closed) {
            try {
                wait();
            } catch (InterruptedException e) {
                return false;
            }
        }
        wanted = false;
        return !closed;
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // nothing to lose: every commit is in the fsync'ed WAL
        }
    }
}
