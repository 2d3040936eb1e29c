package dev.tapline.forwarder.dlp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Redacts JSON-looking text that does not parse, usually a body cut off by the capture size limit.
 *
 * <p>A regex walks the string literals of the text in order; a literal followed by {@code :} and a
 * string, number or boolean is a key/value pair, and the value of a sensitive key is replaced by
 * the hash of its (unescaped) text. A string cut off by the end of the text still counts, so a
 * truncated secret is hidden too. Objects and arrays under a sensitive key are <em>not</em>
 * redacted here (their extent is unknowable in broken JSON); value patterns then run over the
 * whole text, which catches card numbers and tokens wherever they are.
 */
final class JsonTextFallback {

    private static final String STRING_BODY = "((?:[^\"\\\\]|\\\\.)*+\\\\?)(?:\"|\\z)";

    // Every match consumes whole string literals, and JSON has no quotes outside them, so matching
    // stays aligned on literal boundaries however the text is broken.
    private static final Pattern LITERAL_AND_VALUE = Pattern.compile(
            "\"" + STRING_BODY
                    + "(?:\\s*+:\\s*+(?:\"" + STRING_BODY + "|(-?[0-9][0-9.eE+-]*+|true|false)))?");

    private static final JsonFactory FACTORY = new JsonFactory();

    private final SensitiveKeys keys;
    private final PatternScanner patterns;

    JsonTextFallback(SensitiveKeys keys, PatternScanner patterns) {
        this.keys = keys;
        this.patterns = patterns;
    }

    /** Returns {@code text} redacted, or the same instance when nothing was replaced. */
    String redact(String text, RedactionStats stats) {
        Splicer splicer = new Splicer(text);
        if (keys.mightOccurIn(text)) {
            Matcher m = LITERAL_AND_VALUE.matcher(text);
            while (m.find()) {
                int group = m.start(2) >= 0 ? 2 : 3;
                boolean hasValue = m.start(group) >= 0 && m.end(group) > m.start(group);
                if (!hasValue || !keys.matches(unescape(m.group(1)))) {
                    continue;
                }
                String value = group == 2 ? unescape(m.group(2)) : m.group(3);
                if (!RedactedValue.isRedacted(value)) {
                    splicer.replace(m.start(group), m.end(group), RedactedValue.of(value));
                    stats.increment(RedactionStats.Kind.JSON);
                }
            }
        }
        return patterns.redact(splicer.result(), stats);
    }

    /** Undoes JSON string escapes; returns the literal body as is when they are broken. */
    private static String unescape(String literalBody) {
        if (literalBody.indexOf('\\') < 0) {
            return literalBody;
        }
        try (JsonParser parser = FACTORY.createParser('"' + literalBody + '"')) {
            parser.nextToken();
            return parser.getText();
        } catch (IOException e) {
            return literalBody;
        }
    }
}
