package dev.tapline.forwarder.dlp;

import java.nio.charset.Charset;
import java.util.List;

/**
 * Redacts {@code key=value&key=value} text: query strings and
 * {@code application/x-www-form-urlencoded} bodies.
 *
 * <p>Keys are percent-decoded before they are matched. The value of a sensitive key is replaced by
 * the hash of its <em>decoded</em> value, so that a secret hashes the same in a query string, a
 * form and a JSON body; a value whose encoding is malformed is hashed as sent. Empty values and
 * parameters without {@code =} stay as they are under a sensitive key. Every other value, and every
 * parameter without {@code =}, has its pattern matches replaced. Keys, order, separators and the
 * exact encoding of everything not replaced are kept.
 */
final class UrlEncodedRedactor {

    private final SensitiveKeys keys;
    private final PatternScanner patterns;

    UrlEncodedRedactor(SensitiveKeys keys, PatternScanner patterns) {
        this.keys = keys;
        this.patterns = patterns;
    }

    /**
     * Returns {@code encoded} with sensitive values replaced, counting them as {@code kind}; returns
     * the same instance when nothing was replaced.
     */
    String redact(String encoded, Charset charset, RedactionStats.Kind kind, RedactionStats stats) {
        Splicer splicer = new Splicer(encoded);
        int start = 0;
        while (true) {
            int amp = encoded.indexOf('&', start);
            int end = amp < 0 ? encoded.length() : amp;
            redactParameter(encoded, start, end, charset, kind, stats, splicer);
            if (amp < 0) {
                return splicer.result();
            }
            start = amp + 1;
        }
    }

    private void redactParameter(String encoded, int start, int end, Charset charset,
                                 RedactionStats.Kind kind, RedactionStats stats, Splicer splicer) {
        int eq = encoded.indexOf('=', start);
        if (eq < 0 || eq >= end) {
            redactPatterns(encoded, start, end, charset, stats, splicer);
            return;
        }
        String key = PercentDecoded.decodeOrRaw(encoded.substring(start, eq), charset);
        if (!keys.matches(key)) {
            redactPatterns(encoded, eq + 1, end, charset, stats, splicer);
            return;
        }
        if (eq + 1 == end) {
            return;
        }
        String value = PercentDecoded.decodeOrRaw(encoded.substring(eq + 1, end), charset);
        if (!RedactedValue.isRedacted(value)) {
            splicer.replace(eq + 1, end, RedactedValue.of(value));
            stats.increment(kind);
        }
    }

    private void redactPatterns(String encoded, int start, int end, Charset charset,
                                RedactionStats stats, Splicer splicer) {
        if (start == end) {
            return;
        }
        String raw = encoded.substring(start, end);
        PercentDecoded value = PercentDecoded.decode(raw, charset);
        if (value == null) {
            value = PercentDecoded.literal(raw);
        }
        List<PatternScanner.Span> spans = patterns.find(value.text());
        for (PatternScanner.Span span : spans) {
            String match = value.text().substring(span.start(), span.end());
            splicer.replace(start + value.rawStart(span.start()), start + value.rawEnd(span.end()),
                    RedactedValue.of(match));
            stats.increment(RedactionStats.Kind.PATTERN);
        }
    }
}
