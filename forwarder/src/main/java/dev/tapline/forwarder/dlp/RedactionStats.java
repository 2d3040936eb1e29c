package dev.tapline.forwarder.dlp;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of values replaced by a {@link Redactor}, by the kind of rule that replaced them, for
 * export as metrics. Every replaced value counts once: a sensitive JSON key holding an array of
 * three strings counts three. Safe for concurrent use; reads are not a consistent snapshot across
 * kinds while redaction is in progress, which is fine for monotonic counters.
 */
public final class RedactionStats {

    /** The rule that caused a replacement. */
    public enum Kind {
        /** The whole value of a sensitive header. */
        HEADER,
        /** The value of a sensitive query parameter in a request-target. */
        QUERY,
        /** The value of a sensitive field in an {@code application/x-www-form-urlencoded} body. */
        FORM,
        /** A scalar under a sensitive key in a JSON body (or in its text fallback). */
        JSON,
        /** A substring matched by a value pattern (card number, JWT, custom regex). */
        PATTERN
    }

    private final Map<Kind, LongAdder> counters = new EnumMap<>(Kind.class);

    RedactionStats() {
        for (Kind kind : Kind.values()) {
            counters.put(kind, new LongAdder());
        }
    }

    void increment(Kind kind) {
        counters.get(kind).increment();
    }

    void add(Kind kind, long count) {
        if (count > 0) {
            counters.get(kind).add(count);
        }
    }

    /** Returns how many values were replaced by rules of {@code kind}. */
    public long count(Kind kind) {
        return counters.get(kind).sum();
    }

    /** Returns how many values were replaced in total. */
    public long total() {
        long total = 0;
        for (LongAdder adder : counters.values()) {
            total += adder.sum();
        }
        return total;
    }

    /** Returns the current count of every kind, in {@link Kind} order. */
    public Map<Kind, Long> snapshot() {
        Map<Kind, Long> snapshot = new EnumMap<>(Kind.class);
        counters.forEach((kind, adder) -> snapshot.put(kind, adder.sum()));
        return Collections.unmodifiableMap(snapshot);
    }

    @Override
    public String toString() {
        return "RedactionStats" + snapshot();
    }
}
