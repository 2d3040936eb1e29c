package dev.tapline.forwarder.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.tapline.forwarder.store.SinkOutcome;
import dev.tapline.forwarder.store.StoredCapture;

/**
 * Inserts captures many rows per statement ({@code INSERT ... VALUES (...), (...), ... ON CONFLICT(id) DO NOTHING})
 * and tells, for each row, whether it was stored or skipped as a duplicate. One statement per row cost the writer
 * thread more in the driver (a JNI round trip and a reset per row) than SQLite's own work on the row.
 *
 * <pre>
 *   rows --chunks of 64, then 8, then 1--&gt; INSERT ... ON CONFLICT(id) DO NOTHING
 *        changes == chunk size? every row STORED (the usual case)
 *        otherwise: the ids with seq &gt; the largest seq before the chunk are the STORED ones, the others DUPLICATE
 * </pre>
 *
 * A new row's seq is one more than the largest seq in the table (SQLite's rowid rule for an INTEGER PRIMARY KEY
 * without AUTOINCREMENT), so the rows one statement inserted are exactly those above the largest seq before it.
 * Within a chunk the rows are inserted in order, so when an id repeats, its first row is the stored one. The
 * statements are closed with the connection.
 */
final class CaptureInserts {
    private static final String COLUMNS = "INSERT INTO captures"
            + " (id, ts, proxy_id, app_label, pod_name, cluster, method, status, path, record) VALUES ";
    private static final String ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final int PARAMETERS_PER_ROW = 10;
    // largest first; the last must be 1 so that any count of rows can be written
    private static final int[] CHUNKS = { 64, 8, 1 };

    private final Connection connection;
    private final PreparedStatement[] inserts = new PreparedStatement[CHUNKS.length];
    private final PreparedStatement maxSeq;
    private final PreparedStatement idsAfter;

    CaptureInserts(Connection connection) throws SQLException {
        this.connection = connection;
        for (int i = 0; i < CHUNKS.length; i++) {
            inserts[i] = connection.prepareStatement(insertSql(CHUNKS[i]));
        }
        maxSeq = connection.prepareStatement("SELECT coalesce(max(seq), 0) FROM captures");
        idsAfter = connection.prepareStatement("SELECT id FROM captures WHERE seq > ?");
    }

    static String insertSql(int rows) {
        StringBuilder sql = new StringBuilder(COLUMNS);
        for (int r = 0; r < rows; r++) {
            sql.append(r == 0 ? "" : ", ").append(ROW);
        }
        return sql.append(" ON CONFLICT(id) DO NOTHING").toString();
    }

    /** Inserts the records inside the caller's transaction; one outcome per record, in order. */
    List<SinkOutcome> insert(List<StoredCapture> records) throws SQLException {
        List<SinkOutcome> outcomes = new ArrayList<>(records.size());
        long lastSeq = largestSeq();
        int from = 0;
        for (int i = 0; i < CHUNKS.length; i++) {
            int size = CHUNKS[i];
            for (; records.size() - from >= size; from += size) {
                List<StoredCapture> chunk = records.subList(from, from + size);
                int stored = insertChunk(inserts[i], chunk);
                if (stored == size) {
                    chunk.forEach(r -> outcomes.add(SinkOutcome.STORED));
                } else {
                    addOutcomesWithDuplicates(chunk, lastSeq, outcomes);
                }
                lastSeq += stored;
            }
        }
        return outcomes;
    }

    private static int insertChunk(PreparedStatement insert, List<StoredCapture> chunk) throws SQLException {
        int p = 0;
        for (StoredCapture r : chunk) {
            insert.setString(p + 1, r.id());
            insert.setLong(p + 2, r.tsNanos());
            insert.setString(p + 3, r.proxyId());
            insert.setString(p + 4, r.appLabel());
            insert.setString(p + 5, r.podName());
            insert.setString(p + 6, r.cluster());
            setNullable(insert, p + 7, r.method(), Types.VARCHAR);
            setNullable(insert, p + 8, r.status(), Types.INTEGER);
            setNullable(insert, p + 9, r.path(), Types.VARCHAR);
            insert.setBytes(p + 10, r.record());
            p += PARAMETERS_PER_ROW;
        }
        return insert.executeUpdate();
    }

    private void addOutcomesWithDuplicates(List<StoredCapture> chunk, long seqBefore, List<SinkOutcome> outcomes)
            throws SQLException {
        Set<String> inserted = new HashSet<>();
        idsAfter.setLong(1, seqBefore);
        try (ResultSet rs = idsAfter.executeQuery()) {
            while (rs.next()) {
                inserted.add(rs.getString(1));
            }
        }
        for (StoredCapture r : chunk) {
            // remove: a repeated id is stored for its first row only
            outcomes.add(inserted.remove(r.id()) ? SinkOutcome.STORED : SinkOutcome.DUPLICATE);
        }
    }

    private long largestSeq() throws SQLException {
        try (ResultSet rs = maxSeq.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static void setNullable(PreparedStatement ps, int index, Object value, int sqlType) throws SQLException {
        if (value == null) {
            ps.setNull(index, sqlType);
        } else {
            ps.setObject(index, value);
        }
    }
}
