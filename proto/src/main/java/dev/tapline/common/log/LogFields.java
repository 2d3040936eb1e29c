package dev.tapline.common.log;

import java.util.Arrays;

/**
 * Structured fields for one log line, written at the top level of the JSON object by {@link ManualJsonFormatter}.
 *
 * <p>Pass it as the last parameter of a printf-style call; the message itself is never formatted with it:
 * <pre>
 *   LOG.infof("Successfully connected to forwarder", LogFields.of("addr", addr));
 * </pre>
 * Values that are {@link Number}s or {@link Boolean}s are written as JSON numbers/booleans, all others as strings.
 */
public final class LogFields {
    private final Object[] keysAndValues;

    private LogFields(Object[] keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("LogFields.of takes key/value pairs, got " + keysAndValues.length + " items");
        }
        this.keysAndValues = keysAndValues;
    }

    public static LogFields of(Object... keysAndValues) {
        return new LogFields(keysAndValues);
    }

    /** A copy with more pairs appended (used to add per-connection context to a line's own fields). */
    public LogFields and(Object... more) {
        Object[] all = Arrays.copyOf(keysAndValues, keysAndValues.length + more.length);
        System.arraycopy(more, 0, all, keysAndValues.length, more.length);
        return new LogFields(all);
    }

    int size() {
        return keysAndValues.length / 2;
    }

    String key(int i) {
        return String.valueOf(keysAndValues[2 * i]);
    }

    Object value(int i) {
        return keysAndValues[2 * i + 1];
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < size(); i++) {
            out.append(i == 0 ? "" : " ").append(key(i)).append('=').append(value(i));
        }
        return out.toString();
    }
}
