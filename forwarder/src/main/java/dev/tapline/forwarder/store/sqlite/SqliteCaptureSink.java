package dev.tapline.forwarder.store.sqlite;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import dev.tapline.forwarder.store.CaptureSink;
import dev.tapline.forwarder.store.RetentionTarget;
import dev.tapline.forwarder.store.SinkOutcome;
import dev.tapline.forwarder.store.StoreException;
import dev.tapline.forwarder.store.StoredCapture;

/**
 * The embedded store's write side: one connection, prepared statements, one transaction per {@link #store} call.
 * A capture id already stored is skipped by the unique index ({@code ON CONFLICT DO NOTHING}) and reported as a
 * duplicate ({@link CaptureInserts}). Records of {@link #SEGMENT_RECORD_BYTES} and more go to segment files
 * ({@link BodySegments}), made durable before the transaction that stores their rows; retention drops a segment
 * once no row points into it. Used by the {@link dev.tapline.forwarder.store.StoreWriter} thread only; the WAL is
 * copied into the database file by a {@link WalCheckpointer} thread of its own.
 */
public final class SqliteCaptureSink implements CaptureSink, RetentionTarget, AutoCloseable {
    // retention's two deletions; package-private for the test of their query plans (QueryPlansTest)
    static final String DELETE_OLDER = "DELETE FROM captures WHERE seq IN"
            + " (SELECT seq FROM captures WHERE ts < ? ORDER BY ts LIMIT ?)";
    static final String DELETE_OLDEST = "DELETE FROM captures WHERE seq IN"
            + " (SELECT seq FROM captures ORDER BY ts, seq LIMIT ?)";
    private static final String SEGMENT_STORED = "INSERT INTO body_segments (id, bytes, live, live_bytes)"
            + " VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET bytes = excluded.bytes, live = live + excluded.live,"
            + " live_bytes = live_bytes + excluded.live_bytes";
    /**
     * From this size on a record goes to a segment file, written once, instead of into its row (written to the WAL,
     * then again by the checkpoint). Above a page's worth SQLite already keeps a record in overflow pages.
     */
    static final int SEGMENT_RECORD_BYTES = 8 * 1024;
    /** A segment file's size before the next one starts: retention reclaims space a whole segment at a time. */
    static final long SEGMENT_BYTES = 32L << 20;

    private final SqliteDatabase database;
    private final Connection connection;
    private final CaptureInserts inserts;
    private final PreparedStatement deleteOlder;
    private final PreparedStatement deleteOldest;
    private final PreparedStatement segmentStored;
    private final BodySegments segments;
    private final WalCheckpointer checkpointer;
    private final int segmentRecordBytes;
    private volatile long sizeBytes;

    public SqliteCaptureSink(SqliteDatabase database) {
        this(database, SEGMENT_BYTES, SEGMENT_RECORD_BYTES);
    }

    /**
     * With segment files of about {@code segmentBytes} (tests: small ones, to see retention drop them), for records
     * of {@code segmentRecordBytes} and more (BodyStoreBench: never, to measure records in rows).
     */
    SqliteCaptureSink(SqliteDatabase database, long segmentBytes, int segmentRecordBytes) {
        this(database, segmentBytes, segmentRecordBytes, WalCheckpointer.CHECKPOINT_BYTES);
    }

    /** As above, checkpointing the WAL every {@code checkpointBytes} of records stored in rows (tests). */
    SqliteCaptureSink(SqliteDatabase database, long segmentBytes, int segmentRecordBytes, long checkpointBytes) {
        this.database = database;
        this.segmentRecordBytes = segmentRecordBytes;
        Connection opened = null;
        try {
            opened = database.connectWriter();
            connection = opened;
            inserts = new CaptureInserts(connection);
            deleteOlder = connection.prepareStatement(DELETE_OLDER);
            deleteOldest = connection.prepareStatement(DELETE_OLDEST);
            segmentStored = connection.prepareStatement(SEGMENT_STORED);
            segments = BodySegments.open(database.dir(), liveSegments(), segmentBytes);
            sizeBytes = measureUsedBytes();
            connection.commit();
        } catch (SQLException | IOException e) {
            closeQuietly(opened); // the forwarder may try again (a test, a restart in dev mode): no handle left open
            throw new StoreException("cannot open the store for writing: " + e.getMessage(), e);
        }
        checkpointer = new WalCheckpointer(database, checkpointBytes);
    }

    /**
     * The committed length of each segment that rows still point into; forgets the others, whose files
     * {@link BodySegments#open} then deletes (retention's deletion interrupted by a crash).
     */
    private Map<Long, Long> liveSegments() throws SQLException {
        Map<Long, Long> committed = new HashMap<>();
        try (Statement s = connection.createStatement()) {
            s.executeUpdate("DELETE FROM body_segments WHERE live <= 0");
            try (ResultSet rs = s.executeQuery("SELECT id, bytes FROM body_segments")) {
                while (rs.next()) {
                    committed.put(rs.getLong(1), rs.getLong(2));
                }
            }
        }
        connection.commit(); // before any file goes: a crash then leaves files without rows, deleted at the next open
        return committed;
    }

    @Override
    public List<SinkOutcome> store(List<StoredCapture> records) {
        if (!database.fileStillInPlace()) {
            throw new StoreException("the store file " + database.file() + " was removed or replaced");
        }
        List<SinkOutcome> outcomes;
        long inRows = 0;
        try {
            List<BodySegments.BodyPlace> places = appendLargeRecords(records);
            outcomes = inserts.insert(records, places);
            for (StoredCapture r : records) {
                inRows += r.record().length < segmentRecordBytes ? r.record().length : 0;
            }
            if (places != null) {
                noteSegment(places, outcomes);
            }
            long used = measureUsedBytes();
            connection.commit();
            sizeBytes = used;
        } catch (SQLException | IOException e) {
            rollback();
            throw new StoreException("cannot store " + records.size() + " captures: " + e.getMessage(), e);
        }
        checkpointer.committed(inRows);
        return outcomes;
    }

    /** Writes the large records to the current segment, durably; null when there is none (no place for any). */
    private List<BodySegments.BodyPlace> appendLargeRecords(List<StoredCapture> records) throws IOException {
        List<byte[]> large = null;
        for (StoredCapture r : records) {
            if (r.record().length >= segmentRecordBytes) {
                large = large == null ? new ArrayList<>() : large;
                large.add(r.record());
            }
        }
        if (large == null) {
            return null;
        }
        Iterator<BodySegments.BodyPlace> placed = segments.append(large).iterator();
        List<BodySegments.BodyPlace> places = new ArrayList<>(records.size());
        for (StoredCapture r : records) {
            places.add(r.record().length >= segmentRecordBytes ? placed.next() : null);
        }
        return places;
    }

    /** The segment's new committed length and the rows now pointing into it, in this transaction. */
    private void noteSegment(List<BodySegments.BodyPlace> places, List<SinkOutcome> outcomes) throws SQLException {
        int stored = 0;
        long storedBytes = 0;
        for (int i = 0; i < places.size(); i++) {
            if (places.get(i) != null && outcomes.get(i) == SinkOutcome.STORED) {
                stored++;
                storedBytes += places.get(i).length();
            }
        }
        segmentStored.setLong(1, segments.current());
        segmentStored.setLong(2, segments.end());
        segmentStored.setInt(3, stored);
        segmentStored.setLong(4, storedBytes);
        segmentStored.executeUpdate();
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
        List<Long> dead = deadSegments();
        long used = measureUsedBytes();
        connection.commit();
        sizeBytes = used;
        for (long id : dead) {
            try {
                segments.drop(id);
            } catch (IOException e) {
                // its row is gone: the next open deletes the file
                throw new StoreException("cannot delete segment " + id + ": " + e.getMessage(), e);
            }
        }
        return deleted;
    }

    /** The segments no row points into any more (but the one being appended to), forgotten in this transaction. */
    private List<Long> deadSegments() throws SQLException {
        List<Long> dead = new ArrayList<>();
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT id FROM body_segments WHERE live <= 0")) {
            while (rs.next()) {
                if (segments.droppable(rs.getLong(1))) {
                    dead.add(rs.getLong(1));
                }
            }
        }
        try (PreparedStatement forget = connection.prepareStatement("DELETE FROM body_segments WHERE id = ?")) {
            for (long id : dead) {
                forget.setLong(1, id);
                forget.executeUpdate();
            }
        }
        return dead;
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
    // write transaction, they already count its changes. Segments count the records still in them (live_bytes):
    // deleting a capture lowers the size at once, though its segment's space comes back only when the segment goes.
    private long measureUsedBytes() throws SQLException {
        try (Statement s = connection.createStatement()) {
            long pageSize = single(s, "PRAGMA page_size");
            long pages = single(s, "PRAGMA page_count");
            long free = single(s, "PRAGMA freelist_count");
            return (pages - free) * pageSize + single(s, "SELECT coalesce(sum(live_bytes), 0) FROM body_segments");
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

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // already failing to open: the first error is the one reported
        }
    }

    @Override
    public void close() {
        checkpointer.close();
        try {
            segments.close();
        } catch (IOException ignored) {
            // every committed body was already forced to the disk
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing is best effort: every commit is already durable
        }
    }
}
