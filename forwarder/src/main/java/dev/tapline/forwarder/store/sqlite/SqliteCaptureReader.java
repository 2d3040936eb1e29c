package dev.tapline.forwarder.store.sqlite;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import dev.tapline.forwarder.store.CaptureQuery;
import dev.tapline.forwarder.store.CaptureReader;
import dev.tapline.forwarder.store.StoreException;
import dev.tapline.forwarder.store.StoredCapture;

/**
 * The embedded store's read side: a small pool of query-only connections. In WAL mode readers see the last
 * committed state and neither wait for nor block the writer.
 */
public final class SqliteCaptureReader implements CaptureReader, AutoCloseable {
    private static final String COLUMNS = "SELECT id, ts, proxy_id, app_label, pod_name, cluster, method, status, path,"
            + " record, body_seg, body_off, body_len FROM captures";
    // length() of a blob is read from the record header: SQLite does not load the record for it
    private static final String REF_COLUMNS = "SELECT id, coalesce(body_len, length(record)) FROM captures";

    private final SqliteDatabase database;
    private final BlockingQueue<Connection> idle;
    private final Semaphore slots;
    private volatile boolean closed;

    public SqliteCaptureReader(SqliteDatabase database, int connections) {
        this.database = database;
        this.idle = new ArrayBlockingQueue<>(connections);
        this.slots = new Semaphore(connections);
    }

    @Override
    public List<CaptureRef> findRefs(CaptureQuery query) {
        List<Object> args = new ArrayList<>();
        String sql = findSql(query, args);
        return withConnection(c -> {
            List<CaptureRef> refs = new ArrayList<>();
            try (PreparedStatement ps = bind(c, sql, args); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    refs.add(new CaptureRef(rs.getString(1), rs.getLong(2)));
                }
            }
            return refs;
        });
    }

    @Override
    public List<StoredCapture> byIds(List<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        String sql = COLUMNS + " WHERE id IN (" + "?,".repeat(ids.size() - 1) + "?)";
        Map<String, StoredCapture> found = new HashMap<>();
        for (StoredCapture row : query(sql, List.copyOf(ids))) {
            found.put(row.id(), row);
        }
        return ids.stream().map(found::get).filter(Objects::nonNull).toList();
    }

    @Override
    public Optional<StoredCapture> byId(String id) {
        return query(COLUMNS + " WHERE id = ?", List.of(id)).stream().findFirst();
    }

    /**
     * The query plan SQLite picks for the read API's search ({@link #findRefs}), one line per step: lets a test
     * check that it uses an index.
     */
    public List<String> plan(CaptureQuery query) {
        List<Object> args = new ArrayList<>();
        return explain(findSql(query, args), args);
    }

    /** SQLite's plan for a statement, one line per step. */
    List<String> explain(String sql, List<Object> args) {
        return withConnection(c -> {
            List<String> steps = new ArrayList<>();
            try (PreparedStatement ps = bind(c, "EXPLAIN QUERY PLAN " + sql, args); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    steps.add(rs.getString("detail"));
                }
            }
            return steps;
        });
    }

    /** The search: ids and record sizes of the matching captures, newest first. */
    private static String findSql(CaptureQuery q, List<Object> args) {
        StringBuilder sql = new StringBuilder(REF_COLUMNS);
        CaptureWhere.append(sql, args, q);
        sql.append(" ORDER BY ts DESC, seq DESC LIMIT ?");
        args.add(q.limit());
        return sql.toString();
    }

    private List<StoredCapture> query(String sql, List<Object> args) {
        return withConnection(c -> {
            List<StoredCapture> rows = new ArrayList<>();
            try (PreparedStatement ps = bind(c, sql, args); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byte[] record = rs.getBytes(10);
                    Object segment = rs.getObject(11);
                    if (segment != null) {
                        record = segmentRecord(new BodySegments.BodyPlace(((Number) segment).longValue(),
                                rs.getLong(12), rs.getInt(13)));
                        if (record == null) {
                            continue; // retention dropped it after the row was read: as if deleted just before
                        }
                    }
                    rows.add(new StoredCapture(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), (Integer) rs.getObject(8),
                            rs.getString(9), record));
                }
            }
            return rows;
        });
    }

    private byte[] segmentRecord(BodySegments.BodyPlace place) {
        try {
            return BodySegments.read(database.dir(), place);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new StoreException("cannot read segment " + place.segment() + ": " + e.getMessage(), e);
        }
    }

    static PreparedStatement bind(Connection c, String sql, List<Object> args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < args.size(); i++) {
            ps.setObject(i + 1, args.get(i));
        }
        return ps;
    }

    <T> T withConnection(SqlWork<T> work) {
        if (closed) {
            throw new StoreException("the store is closed");
        }
        boolean acquired = false;
        try {
            acquired = slots.tryAcquire(10, TimeUnit.SECONDS);
            if (!acquired) {
                throw new StoreException("the store is busy: no read connection free for 10s");
            }
            Connection c = idle.poll();
            if (c == null) {
                c = database.connectReader();
            }
            try {
                T result = work.run(c);
                idle.add(c);
                return result;
            } catch (SQLException e) {
                close(c);
                throw new StoreException("cannot read the store: " + e.getMessage(), e);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot open a read connection: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a read connection", e);
        } finally {
            if (acquired) {
                slots.release();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        Connection c;
        while ((c = idle.poll()) != null) {
            close(c);
        }
    }

    private static void close(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // nothing to keep
        }
    }

    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }
}
