package dev.tapline.forwarder.dlp;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Redacts the parts of a captured HTTP exchange: header values, request-targets and bodies. A
 * sensitive value is replaced by {@code REDACTED-<lowercase hex SHA-256 of its UTF-8 bytes>}, and
 * the structure around it (header, parameter order and encoding, JSON shape) is kept.
 *
 * <p>Empty values and values that already are a replacement are left alone, so redacting twice
 * changes nothing. Every replacement is counted in {@link #stats()}.
 *
 * <p>Immutable apart from its counters; one instance is meant to be shared by all threads.
 */
public final class Redactor {

    private final Set<String> sensitiveHeaders;
    private final PatternScanner patterns;
    private final UrlEncodedRedactor urlEncoded;
    private final JsonBodyRedactor json;
    private final RedactionStats stats = new RedactionStats();

    /** Creates a redactor applying {@code rules}. */
    public Redactor(DlpRules rules) {
        Objects.requireNonNull(rules, "rules");
        SensitiveKeys keys = new SensitiveKeys(rules.keys());
        this.sensitiveHeaders = rules.headers();
        this.patterns = new PatternScanner(rules.patterns());
        this.urlEncoded = new UrlEncodedRedactor(keys, patterns);
        this.json = new JsonBodyRedactor(keys, patterns);
    }

    /**
     * Returns a header value to store: {@code REDACTED-<hash of value>} for a sensitive header
     * (name matched case-insensitively), otherwise the value with its pattern matches replaced.
     * Returns {@code value} itself when nothing was replaced (including when it is {@code null}).
     */
    public String redactHeader(String name, String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        if (name != null && sensitiveHeaders.contains(name.toLowerCase(Locale.ROOT))) {
            if (RedactedValue.isRedacted(value)) {
                return value;
            }
            stats.increment(RedactionStats.Kind.HEADER);
            return RedactedValue.of(value);
        }
        return patterns.redact(value, stats);
    }

    /**
     * Returns an HTTP request-target (origin form {@code /path?query#fragment} or absolute form
     * {@code http://host/path?query}) with the values of sensitive query parameters replaced by the
     * hash of their decoded value and pattern matches replaced in the other values. The path and
     * the fragment are kept as they are, and so is everything not replaced, byte for byte. Returns
     * {@code requestTarget} itself when nothing was replaced.
     */
    public String redactTarget(String requestTarget) {
        if (requestTarget == null) {
            return null;
        }
        int hash = requestTarget.indexOf('#');
        int queryEnd = hash < 0 ? requestTarget.length() : hash;
        int question = requestTarget.indexOf('?');
        if (question < 0 || question > queryEnd) {
            return requestTarget;
        }
        String query = requestTarget.substring(question + 1, queryEnd);
        String redacted = urlEncoded.redact(query, StandardCharsets.UTF_8, RedactionStats.Kind.QUERY, stats);
        if (redacted == query) {
            return requestTarget;
        }
        return requestTarget.substring(0, question + 1) + redacted + requestTarget.substring(queryEnd);
    }

    /**
     * Returns a body to store. How it is redacted depends on {@code contentType} (may be
     * {@code null}):
     * <ul>
     *   <li>JSON ({@code application/json}, {@code *}{@code /*+json}, NDJSON, or an unknown type
     *       whose body starts with <code>&#123;</code> or <code>[</code>): sensitive keys at any
     *       depth, then patterns in string values; re-serialised compactly. JSON that does not
     *       parse (e.g. {@code truncated}) is redacted as text, plus {@code "key": "value"}
     *       pairs.</li>
     *   <li>{@code application/x-www-form-urlencoded}: like a query string.</li>
     *   <li>text ({@code text/*}, XML, JavaScript, multipart, unknown types): patterns anywhere.</li>
     *   <li>binary ({@code image/*}, {@code application/octet-stream}, ...): untouched.</li>
     * </ul>
     * Text is decoded with the {@code charset} parameter, UTF-8 by default; a body that is not
     * valid in it is returned untouched. When {@code truncated}, an incomplete character at the
     * end is kept as is. Returns {@code body} itself (same instance) when nothing was replaced.
     */
    public byte[] redactBody(String contentType, byte[] body, boolean truncated) {
        if (body == null || body.length == 0) {
            return body;
        }
        BodyFormat format = BodyFormat.of(contentType);
        if (format.kind() == BodyFormat.Kind.BINARY) {
            return body;
        }
        BodyText decoded = BodyText.decode(body, format.charset(), truncated);
        if (decoded == null) {
            return body;
        }
        String text = decoded.text();
        String redacted = switch (format.kind()) {
            case JSON -> json.redact(text, stats);
            case FORM -> urlEncoded.redact(text, format.charset(), RedactionStats.Kind.FORM, stats);
            case UNKNOWN -> looksLikeJson(text) ? json.redact(text, stats) : patterns.redact(text, stats);
            default -> patterns.redact(text, stats);
        };
        return redacted == text ? body : decoded.encode(redacted);
    }

    /** Counters of replacements made by this redactor, by kind. */
    public RedactionStats stats() {
        return stats;
    }

    /** Total number of values replaced by this redactor. */
    public long redactions() {
        return stats.total();
    }

    private static boolean looksLikeJson(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isWhitespace(c)) {
                return c == '{' || c == '[';
            }
        }
        return false;
    }
}
