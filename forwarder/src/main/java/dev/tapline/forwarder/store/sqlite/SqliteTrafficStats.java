package dev.tapline.forwarder.store.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import dev.tapline.forwarder.facets.EndpointStats;
import dev.tapline.forwarder.facets.EndpointTally;
import dev.tapline.forwarder.store.CaptureQuery;
import dev.tapline.forwarder.store.TrafficStats;
import dev.tapline.forwarder.store.TrafficStats.StatusClass;

/**
 * The figures of {@link TrafficStats}, on the reader's connections. Both scan the time range on the index
 * {@link SqliteDatabase#TIME_INDEX}, which holds every column they read (see {@link SqliteDatabase}): with the usual
 * filters no table row is read, so the cost is one short index entry per capture in the range.
 *
 * <pre>
 *   timeline:  SELECT (ts - since) / step, status class, count(*) ... GROUP BY both    (SQLite adds up)
 *   endpoints: SELECT app, method, template, status, duration, bytes, ts ...           ({@link EndpointTally})
 * </pre>
 */
public final class SqliteTrafficStats implements TrafficStats {
    // Named, not left to the planner: with an app filter it would take captures_app_ts and read each row from the
    // table for status, duration and bytes (a record page per capture). The covering index costs one short
    // entry per capture in the time range whatever the filters; both figures always have a time range.
    private static final String FROM = "captures INDEXED BY " + SqliteDatabase.TIME_INDEX;
    private final SqliteCaptureReader reader;

    public SqliteTrafficStats(SqliteCaptureReader reader) {
        this.reader = reader;
    }

    @Override
    public long[][] timeline(CaptureQuery query, long startNanos, long stepNanos, int buckets) {
        List<Object> args = new ArrayList<>();
        String sql = timelineSql(query, startNanos, stepNanos, args);
        long[][] counts = new long[StatusClass.values().length][buckets];
        return reader.withConnection(c -> {
            try (PreparedStatement ps = SqliteCaptureReader.bind(c, sql, args); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int bucket = rs.getInt(1);
                    if (bucket >= 0 && bucket < buckets) {
                        counts[rs.getInt(2)][bucket] += rs.getLong(3);
                    }
                }
            }
            return counts;
        });
    }

    private static String timelineSql(CaptureQuery q, long start, long step, List<Object> args) {
        // the class as StatusClass numbers it: 0..3 for 2xx..5xx, 4 for anything else; start and step are numbers
        // the API computed, not user text
        StringBuilder sql = new StringBuilder("SELECT (ts - " + start + ") / " + step + " AS bucket,"
                + " CASE WHEN status BETWEEN 200 AND 599 THEN status / 100 - 2 ELSE " + StatusClass.OTHER.ordinal()
                + " END AS class, count(*) FROM " + FROM);
        CaptureWhere.append(sql, args, q);
        return sql.append(" GROUP BY bucket, class").toString();
    }

    @Override
    public List<EndpointStats> endpoints(CaptureQuery query, int max) {
        List<Object> args = new ArrayList<>();
        String sql = endpointsSql(query, args);
        return reader.withConnection(c -> {
            EndpointTally tally = new EndpointTally();
            try (PreparedStatement ps = SqliteCaptureReader.bind(c, sql, args); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Object status = rs.getObject(4);
                    Object duration = rs.getObject(5);
                    tally.add(rs.getString(1), rs.getString(2), rs.getString(3),
                            status == null ? null : ((Number) status).intValue(),
                            duration == null ? null : ((Number) duration).longValue(), rs.getLong(6), rs.getLong(7));
                }
            }
            return tally.result(max);
        });
    }

    private static String endpointsSql(CaptureQuery q, List<Object> args) {
        StringBuilder sql = new StringBuilder("SELECT app_label, method, template, status, duration_ns, bytes, ts"
                + " FROM " + FROM);
        CaptureWhere.append(sql, args, q);
        // rows stored before schema 2 have no template: they cannot be told apart by endpoint
        return sql.append(args.isEmpty() ? " WHERE " : " AND ").append("template IS NOT NULL").toString();
    }

    /** The query plans of both figures, one line per step: lets a test check they read the covering index only. */
    public List<String> plans(CaptureQuery query) {
        List<Object> timelineArgs = new ArrayList<>();
        String timeline = timelineSql(query, 0, 1, timelineArgs);
        List<Object> endpointArgs = new ArrayList<>();
        String endpoints = endpointsSql(query, endpointArgs);
        List<String> steps = new ArrayList<>(reader.explain(timeline, timelineArgs));
        steps.addAll(reader.explain(endpoints, endpointArgs));
        return steps;
    }
}
