package dev.tapline.forwarder.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import dev.tapline.forwarder.store.CaptureSink;
import dev.tapline.forwarder.store.RetentionTarget;
import dev.tapline.forwarder.store.SinkOutcome;
import dev.tapline.forwarder.store.StoreException;
import dev.tapline.forwarder.store.StoredCapture;

/**
 * The embedded store's write side: one connection, prepared statements, one transaction per {@link #store} call.
 * A capture id already stored is skipped by the unique index ({@code ON CONFLICT DO NOTHING}) and reported as a
 * duplicate ({@link CaptureInserts}). Used by the {@link dev.tapline.forwarder.store.StoreWriter} thread only.
 */
public final class SqliteCaptureSink implements CaptureSink, RetentionTarget, AutoCloseable {
    private static final String DELETE_OLDER = "DELETE FROM captures WHERE seq IN"
            + " (SELECT seq FROM captures WHERE ts < ? ORDER BY ts LIMIT ?)";
    private static final String DELETE_OLDEST = "DELETE FROM captures WHERE seq IN"
            + " (SELECT seq FROM captures ORDER BY ts, seq LIMIT ?)";

    private final SqliteDatabase database;
    private final Connection connection;
    private final CaptureInserts inserts;
    private final PreparedStatement deleteOlder;
    private final PreparedStatement deleteOldest;
    private volatile long sizeBytes;

    public SqliteCaptureSink(SqliteDatabase database) {
        this.database = database;
        try {
            connection = database.connectWriter();
            inserts = new CaptureInserts(connection);
            deleteOlder = connection.prepareStatement(DELETE_OLDER);
            deleteOldest = connection.prepareStatement(DELETE_OLDEST);
            sizeBytes = measureUsedBytes();
            connection.commit();
        } catch (SQLException e) {
            throw new StoreException("cannot open the store for writing: " + e.getMessage(), e);
        }
    }

    @Override
    public List<SinkOutcome> store(List<StoredCapture> records) {
        if (!database.fileStillInPlace()) {
            throw new StoreException("the store file " + database.file() + " was removed or replaced");
        }
        List<SinkOutcome> outcomes;
        try {
            outcomes = inserts.insert(records);
            long used = measureUsedBytes();
            connection.commit();
            sizeBytes = used;
        } catch (SQLException e) {
            rollback();
            throw new StoreException("cannot store " + records.size() + " captures: " + e.getMessage(), e);
        }
        return outcomes;
    }

    @Override
    public int deleteOlderThan(long tsNanos, int max) {
        try {
            deleteOlder.setLong(1, tsNanos);
            deleteOlder.setInt(2, max);
            return deleteAndCommit(deleteOlder);
        } catch (SQLException e) {
            rollback();
            throw new StoreException("cannot delete old captures: " + e.getMessage(), e);
        }
    }

    @Override
    public int deleteOldest(int max) {
        try {
            deleteOldest.setInt(1, max);
            return deleteAndCommit(deleteOldest);
        } catch (SQLException e) {
            rollback();
            throw new StoreException("cannot delete the oldest captures: " + e.getMessage(), e);
        }
    }

    private int deleteAndCommit(PreparedStatement delete) throws SQLException {
        int deleted = delete.executeUpdate();
        long used = measureUsedBytes();
        connection.commit();
        sizeBytes = used;
        return deleted;
    }

    @Override
    public long usedBytes() {
        try {
            long used = measureUsedBytes();
            connection.commit();
            return used;
        } catch (SQLException e) {
            throw new StoreException("cannot measure the store: " + e.getMessage(), e);
        }
    }

    /** The last measured {@link #usedBytes()}, readable from any thread (the store size gauge). */
    public long sizeBytes() {
        return sizeBytes;
    }

    // page_count and freelist_count come from the database header: constant time at any size. Measured inside the
    // write transaction, they already count its changes.
    private long measureUsedBytes() throws SQLException {
        try (Statement s = connection.createStatement()) {
            long pageSize = single(s, "PRAGMA page_size");
            long pages = single(s, "PRAGMA page_count");
            long free = single(s, "PRAGMA freelist_count");
            return (pages - free) * pageSize;
        }
    }

    private static long single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private void rollback() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is broken: the next call reports it
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing is best effort: every commit is already durable
        }
    }
}
