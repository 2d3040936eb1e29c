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
    private final ChunkInsert placed;
    private final PreparedStatement maxSeq;
    private final PreparedStatement idsAfter;

    CaptureInserts(Connection connection) throws SQLException {
        statements = List.of(ChunkInsert.oneSource(connection, LARGE), ChunkInsert.perRow(connection, LARGE),
                ChunkInsert.perRow(connection, SMALL), ChunkInsert.perRow(connection, 1));
        placed = ChunkInsert.placed(connection);
        maxSeq = connection.prepareStatement("SELECT coalesce(max(seq), 0) FROM captures");
        idsAfter = connection.prepareStatement("SELECT id FROM captures WHERE seq > ?");
    }

    /** Inserts the records inside the caller's transaction; one outcome per record, in order. */
    List<SinkOutcome> insert(List<StoredCapture> records) throws SQLException {
        return insert(records, null);
    }

    /**
     * As {@link #insert(List)}, {@code places} telling for each record where it already is in a segment file (null:
     * the record goes into the row); {@code places} itself null when every record goes into its row. A record in a
     * segment is inserted alone ({@link ChunkInsert#placed}); those are the large ones, few per batch.
     */
    List<SinkOutcome> insert(List<StoredCapture> records, List<BodySegments.BodyPlace> places) throws SQLException {
        List<SinkOutcome> outcomes = new ArrayList<>(records.size());
        long lastSeq = largestSeq();
        int from = 0;
        while (from < records.size()) {
            int inline = inlineRun(places, from, records.size());
            List<StoredCapture> chunk = null;
            int stored;
            if (inline == 0) {
                chunk = records.subList(from, from + 1);
                stored = placed.execute(chunk.get(0), places.get(from));
            } else {
                ChunkInsert statement = null;
                for (int i = 0; statement == null; i++) {
                    chunk = records.subList(from, Math.min(from + inline, from + statements.get(i).rows()));
                    statement = statements.get(i).fits(chunk) ? statements.get(i) : null;
                }
                stored = statement.execute(chunk);
            }
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

    /** How many records from {@code from} on go into their rows, up to the next one in a segment. */
    private static int inlineRun(List<BodySegments.BodyPlace> places, int from, int size) {
        if (places == null) {
            return size - from;
        }
        int end = from;
        while (end < size && places.get(end) == null) {
            end++;
        }
        return end - from;
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
