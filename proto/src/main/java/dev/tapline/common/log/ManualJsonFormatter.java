package dev.tapline.common.log;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Map;

import org.jboss.logmanager.ExtFormatter;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Writes each log record as one JSON line in one of the manual's {@link LogShape}s.
 *
 * <p>Fields come from, in this order: the record's MDC (per-connection context) and any {@link LogFields}
 * parameter of the call. They are written flat at the top level, as the Go loggers of the manual do; a field
 * never replaces one of the three fixed keys. A thrown exception adds {@code "error"} (its message) and
 * {@code "stacktrace"}.
 *
 * <p>Strings are escaped like Go's encoding/json, which also escapes {@code < > &} (the manual shows
 * {@code \u003cnil\u003e}).
 */
public final class ManualJsonFormatter extends ExtFormatter {
    private final LogShape shape;

    public ManualJsonFormatter(LogShape shape) {
        this.shape = shape;
    }

    @Override
    public String format(ExtLogRecord record) {
        StringBuilder out = new StringBuilder(160);
        out.append('{');
        appendPair(out, shape.levelKey, shape.levelName(record.getLevel()), true);
        String message = formatMessageSafely(record);
        String time = shape.time.format(Instant.ofEpochMilli(record.getMillis()));
        if (shape == LogShape.GOPROXY) {
            appendPair(out, shape.timeKey, time, false);
            appendPair(out, shape.messageKey, message, false);
        } else {
            appendPair(out, shape.messageKey, message, false);
            appendPair(out, shape.timeKey, time, false);
        }
        Map<String, String> mdc = record.getMdcCopy();
        if (mdc != null) {
            for (Map.Entry<String, String> e : mdc.entrySet()) {
                appendField(out, e.getKey(), e.getValue());
            }
        }
        Object[] params = record.getParameters();
        if (params != null) {
            for (Object p : params) {
                if (p instanceof LogFields fields) {
                    for (int i = 0; i < fields.size(); i++) {
                        appendField(out, fields.key(i), fields.value(i));
                    }
                }
            }
        }
        Throwable thrown = record.getThrown();
        if (thrown != null) {
            appendField(out, "error", String.valueOf(thrown.getMessage() != null ? thrown.getMessage() : thrown));
            StringWriter trace = new StringWriter();
            thrown.printStackTrace(new PrintWriter(trace));
            appendField(out, "stacktrace", trace.toString());
        }
        return out.append("}\n").toString();
    }

    private static String formatMessageSafely(ExtLogRecord record) {
        try {
            return record.getFormattedMessage();
        } catch (RuntimeException e) {
            // a bad format string must never lose the line
            return record.getMessage();
        }
    }

    private void appendField(StringBuilder out, String key, Object value) {
        if (key.equals(shape.levelKey) || key.equals(shape.messageKey) || key.equals(shape.timeKey)) {
            key = "fields." + key;
        }
        appendPair(out, key, value, false);
    }

    private static void appendPair(StringBuilder out, String key, Object value, boolean first) {
        if (!first) {
            out.append(',');
        }
        appendString(out, key);
        out.append(':');
        if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else {
            appendString(out, value == null ? "<nil>" : value.toString());
        }
    }

    static void appendString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '<', '>', '&', '\u2028', '\u2029' -> appendUnicodeEscape(out, c);
                default -> {
                    if (c < 0x20) {
                        appendUnicodeEscape(out, c);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static void appendUnicodeEscape(StringBuilder out, char c) {
        out.append("\\u");
        String hex = Integer.toHexString(c);
        for (int pad = hex.length(); pad < 4; pad++) {
            out.append('0');
        }
        out.append(hex);
    }
}
