package dev.tapline.forwarder.dlp;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;

/**
 * Finds and replaces the value patterns of the rules in a text.
 *
 * <p>All patterns are matched against the original text and overlapping matches are resolved
 * (earliest first, then longest) before anything is replaced, so one pattern never sees another's
 * replacement: the hex of a hash must not be mistaken for a card number. Replacements already in
 * the text are left alone, which keeps redaction idempotent.
 */
final class PatternScanner {

    /** A range {@code [start, end)} of a text. */
    record Span(int start, int end) {
    }

    private static final Comparator<Span> EARLIEST_THEN_LONGEST =
            Comparator.comparingInt(Span::start).thenComparing(Comparator.comparingInt(Span::end).reversed());

    private final ValuePattern[] patterns;

    PatternScanner(List<ValuePattern> patterns) {
        this.patterns = patterns.toArray(ValuePattern[]::new);
    }

    /** False only when no pattern can match anywhere in {@code text}. */
    boolean mightOccurIn(String text) {
        for (ValuePattern pattern : patterns) {
            if (pattern.mightOccurIn(text)) {
                return true;
            }
        }
        return false;
    }

    /** Returns the non-overlapping matches in {@code text}, in order; empty when there are none. */
    List<Span> find(String text) {
        List<Span> candidates = null;
        for (ValuePattern pattern : patterns) {
            if (!pattern.mightOccurIn(text)) {
                continue;
            }
            Matcher m = pattern.compiled().matcher(text);
            while (m.find()) {
                if (m.end() > m.start() && pattern.accepts(text.subSequence(m.start(), m.end()))) {
                    if (candidates == null) {
                        candidates = new ArrayList<>(2);
                    }
                    candidates.add(new Span(m.start(), m.end()));
                }
            }
        }
        if (candidates == null) {
            return List.of();
        }
        return resolve(text, candidates);
    }

    /**
     * Replaces every match in {@code text} by {@code REDACTED-<hash of the match>}, counting each as
     * a {@link RedactionStats.Kind#PATTERN}; returns {@code text} itself when nothing matched.
     */
    String redact(String text, RedactionStats stats) {
        List<Span> spans = find(text);
        if (spans.isEmpty()) {
            return text;
        }
        Splicer splicer = new Splicer(text);
        for (Span span : spans) {
            String match = text.substring(span.start(), span.end());
            splicer.replace(span.start(), span.end(), RedactedValue.of(match));
            stats.increment(RedactionStats.Kind.PATTERN);
        }
        return splicer.result();
    }

    private static List<Span> resolve(String text, List<Span> candidates) {
        candidates.sort(EARLIEST_THEN_LONGEST);
        List<Span> existing = existingReplacements(text);
        List<Span> kept = new ArrayList<>(candidates.size());
        int lastEnd = 0;
        for (Span span : candidates) {
            if (span.start() >= lastEnd && !overlapsAny(span, existing)) {
                kept.add(span);
                lastEnd = span.end();
            }
        }
        return kept;
    }

    private static List<Span> existingReplacements(String text) {
        if (!text.contains(RedactedValue.PREFIX)) {
            return List.of();
        }
        List<Span> spans = new ArrayList<>();
        Matcher m = RedactedValue.TOKEN.matcher(text);
        while (m.find()) {
            spans.add(new Span(m.start(), m.end()));
        }
        return spans;
    }

    private static boolean overlapsAny(Span span, List<Span> others) {
        for (Span other : others) {
            if (span.start() < other.end() && other.start() < span.end()) {
                return true;
            }
        }
        return false;
    }
}
