package dev.tapline.forwarder.store.sqlite;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import dev.tapline.forwarder.store.CaptureQuery;

/**
 * The WHERE clause of a {@link CaptureQuery}, shared by the search and the figures (timeline, endpoints) so that
 * they always select the same captures. Values go in as parameters, never into the SQL text.
 */
final class CaptureWhere {
    private CaptureWhere() {
    }

    static void append(StringBuilder sql, List<Object> args, CaptureQuery q) {
        where(sql, args, "app_label = ?", q.app());
        where(sql, args, "proxy_id = ?", q.proxyId());
        where(sql, args, "method = ?", q.method());
        if (q.statusFrom().isPresent() && q.statusFrom().equals(q.statusTo())) {
            where(sql, args, "status = ?", q.statusFrom());
        } else {
            where(sql, args, "status >= ?", q.statusFrom());
            where(sql, args, "status <= ?", q.statusTo());
        }
        where(sql, args, "instr(path, ?) > 0", q.pathPart());
        where(sql, args, "ts >= ?", q.sinceNanos());
        where(sql, args, "ts < ?", q.untilNanos());
        where(sql, args, "direction = ?", q.direction());
        where(sql, args, "protocol = ?", q.protocol());
        where(sql, args, "template = ?", q.template());
        // both sides blobs: instr() then compares bytes, and the record's headers and bodies are raw bytes in it
        // a record in a segment file (schema 3) is searched there, by segment_instr (SegmentInstr)
        Optional<byte[]> text = q.text().map(t -> t.getBytes(StandardCharsets.UTF_8));
        where(sql, args, "(CASE WHEN body_seg IS NULL THEN instr(record, ?) ELSE " + SegmentInstr.NAME
                + "(body_seg, body_off, body_len, ?) END) > 0", text);
        text.ifPresent(args::add);
    }

    private static void where(StringBuilder sql, List<Object> args, String condition, Optional<?> value) {
        if (value.isPresent()) {
            sql.append(args.isEmpty() ? " WHERE " : " AND ").append(condition);
            args.add(value.get());
        }
    }
}
