package dev.tapline.forwarder.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
 *   rows --chunks of 64 (one source or not), then 8, then 1 ({@link ChunkInsert})--&gt; INSERT ... DO NOTHING
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
    private static final int LARGE = 64;
    private static final int SMALL = 8;

    // tried in this order: the first that fits the rows left takes the next rows; the last fits any single row
    private final List<ChunkInsert> statements;
    private final PreparedStatement maxSeq;
    private final PreparedStatement idsAfter;

    CaptureInserts(Connection connection) throws SQLException {
        statements = List.of(ChunkInsert.oneSource(connection, LARGE), ChunkInsert.perRow(connection, LARGE),
                ChunkInsert.perRow(connection, SMALL), ChunkInsert.perRow(connection, 1));
        maxSeq = connection.prepareStatement("SELECT coalesce(max(seq), 0) FROM captures");
        idsAfter = connection.prepareStatement("SELECT id FROM captures WHERE seq > ?");
    }

    /** Inserts the records inside the caller's transaction; one outcome per record, in order. */
    List<SinkOutcome> insert(List<StoredCapture> records) throws SQLException {
        List<SinkOutcome> outcomes = new ArrayList<>(records.size());
        long lastSeq = largestSeq();
        int from = 0;
        while (from < records.size()) {
            List<StoredCapture> chunk = null;
            ChunkInsert statement = null;
            for (int i = 0; statement == null; i++) {
                chunk = records.subList(from, Math.min(records.size(), from + statements.get(i).rows()));
                statement = statements.get(i).fits(chunk) ? statements.get(i) : null;
            }
            int stored = statement.execute(chunk);
            if (stored == chunk.size()) {
                chunk.forEach(r -> outcomes.add(SinkOutcome.STORED));
            } else {
                addOutcomesWithDuplicates(chunk, lastSeq, outcomes);
            }
            lastSeq += stored;
            from += chunk.size();
        }
        return outcomes;
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
}
