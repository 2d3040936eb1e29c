package dev.tapline.forwarder.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Objects;

import dev.tapline.forwarder.facets.CaptureFacets;
import dev.tapline.forwarder.store.StoredCapture;

/**
 * One prepared {@code INSERT ... VALUES (...), (...) ON CONFLICT(id) DO NOTHING} for a fixed number of rows, in
 * one of three layouts:
 * <ul>
 *   <li>{@link #perRow}: every value of every row is a parameter of its own;</li>
 *   <li>{@link #oneSource}: the rows share one proxy id, app label, pod name and cluster (the rows of one upload
 *       batch do), bound once for the whole statement as numbered parameters {@code ?1}..{@code ?4}. Binding a
 *       string costs the driver a UTF-8 encoding and a JNI call: this saves four of each per row.</li>
 *   <li>{@link #placed}: one row whose record is in a segment file ({@link BodySegments}): an empty record and
 *       where it is. The other layouts leave those columns NULL without binding them.</li>
 * </ul>
 */
final class ChunkInsert {
    private static final String INSERT = "INSERT INTO captures"
            + " (id, ts, proxy_id, app_label, pod_name, cluster, method, status, path, record,"
            + " direction, protocol, template, duration_ns, bytes) VALUES ";
    private static final String PLACED = "INSERT INTO captures"
            + " (id, ts, proxy_id, app_label, pod_name, cluster, method, status, path, record,"
            + " direction, protocol, template, duration_ns, bytes, body_seg, body_off, body_len)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING";
    private static final byte[] EMPTY = new byte[0];
    private static final int FACETS = 5;
    private static final int SOURCE_PARAMETERS = 4;

    private final PreparedStatement statement;
    private final int rows;
    private final boolean oneSource;

    private ChunkInsert(Connection connection, int rows, boolean oneSource, String sql) throws SQLException {
        this.rows = rows;
        this.oneSource = oneSource;
        this.statement = connection.prepareStatement(sql);
    }

    private ChunkInsert(Connection connection, int rows, boolean oneSource) throws SQLException {
        this(connection, rows, oneSource, sql(rows, oneSource));
    }

    static ChunkInsert placed(Connection connection) throws SQLException {
        return new ChunkInsert(connection, 1, false, PLACED);
    }

    static ChunkInsert perRow(Connection connection, int rows) throws SQLException {
        return new ChunkInsert(connection, rows, false);
    }

    static ChunkInsert oneSource(Connection connection, int rows) throws SQLException {
        return new ChunkInsert(connection, rows, true);
    }

    static String sql(int rows, boolean oneSource) {
        StringBuilder sql = new StringBuilder(INSERT);
        int p = oneSource ? SOURCE_PARAMETERS : 0;
        for (int r = 0; r < rows; r++) {
            sql.append(r == 0 ? "(" : ", (").append('?').append(++p).append(", ?").append(++p);
            if (oneSource) {
                sql.append(", ?1, ?2, ?3, ?4");
            } else {
                for (int k = 0; k < SOURCE_PARAMETERS; k++) {
                    sql.append(", ?").append(++p);
                }
            }
            sql.append(", ?").append(++p).append(", ?").append(++p).append(", ?").append(++p).append(", ?")
                    .append(++p);
            for (int k = 0; k < FACETS; k++) {
                sql.append(", ?").append(++p);
            }
            sql.append(')');
        }
        return sql.append(" ON CONFLICT(id) DO NOTHING").toString();
    }

    int rows() {
        return rows;
    }

    /** Whether this statement can write {@code chunk}: the right size, and for one source, one source. */
    boolean fits(List<StoredCapture> chunk) {
        if (chunk.size() != rows) {
            return false;
        }
        if (oneSource) {
            StoredCapture first = chunk.get(0);
            for (StoredCapture r : chunk) {
                if (!Objects.equals(r.proxyId(), first.proxyId()) || !Objects.equals(r.appLabel(), first.appLabel())
                        || !Objects.equals(r.podName(), first.podName())
                        || !Objects.equals(r.cluster(), first.cluster())) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Inserts one row whose record is at {@code place} ({@link #placed}); returns 1 if stored, 0 if a duplicate. */
    int execute(StoredCapture row, BodySegments.BodyPlace place) throws SQLException {
        int p = bindRow(row, 0, EMPTY);
        statement.setLong(++p, place.segment());
        statement.setLong(++p, place.offset());
        statement.setInt(++p, place.length());
        return statement.executeUpdate();
    }

    /** Inserts the chunk (it must {@link #fits fit}); returns how many rows were stored, not skipped as duplicates. */
    int execute(List<StoredCapture> chunk) throws SQLException {
        int p = 0;
        if (oneSource) {
            p = bindSource(chunk.get(0), p);
        }
        for (StoredCapture r : chunk) {
            p = bindRow(r, p, r.record());
        }
        return statement.executeUpdate();
    }

    private int bindRow(StoredCapture r, int p, byte[] record) throws SQLException {
        statement.setString(++p, r.id());
        statement.setLong(++p, r.tsNanos());
        if (!oneSource) {
            p = bindSource(r, p);
        }
        setNullable(++p, r.method(), Types.VARCHAR);
        setNullable(++p, r.status(), Types.INTEGER);
        setNullable(++p, r.path(), Types.VARCHAR);
        statement.setBytes(++p, record);
        CaptureFacets f = r.facets();
        setNullable(++p, f.direction(), Types.VARCHAR);
        setNullable(++p, f.protocol(), Types.VARCHAR);
        setNullable(++p, f.template(), Types.VARCHAR);
        setNullable(++p, f.durationNs(), Types.BIGINT);
        statement.setLong(++p, f.bytes());
        return p;
    }

    private int bindSource(StoredCapture r, int p) throws SQLException {
        statement.setString(p + 1, r.proxyId());
        statement.setString(p + 2, r.appLabel());
        statement.setString(p + 3, r.podName());
        statement.setString(p + 4, r.cluster());
        return p + SOURCE_PARAMETERS;
    }

    private void setNullable(int index, Object value, int sqlType) throws SQLException {
        if (value == null) {
            statement.setNull(index, sqlType);
        } else {
            statement.setObject(index, value);
        }
    }
}
