package dev.tapline.forwarder.dlp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.io.StringWriter;

/**
 * Redacts JSON text by streaming it from a Jackson parser into a compact generator.
 *
 * <p>Under a sensitive key, a scalar becomes the string {@code REDACTED-<hash of its text>} (a
 * number is hashed as written, a boolean as {@code true}/{@code false}); an object or array keeps
 * its structure with every scalar inside it replaced; {@code null} and {@code ""} stay as they are.
 * Every other string value has its pattern matches replaced; keys and numbers are not scanned for
 * patterns. Several whitespace-separated top-level values (NDJSON) are written one per line.
 *
 * <p>Streaming rather than building a tree keeps numbers exactly as written and bounds memory and
 * stack at any nesting depth. Text that does not parse, typically a truncated capture, goes to
 * {@link JsonTextFallback}.
 */
final class JsonBodyRedactor {

    // Canonicalising field names would grow a shared symbol table with every key ever captured.
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .build();
    private static final SerializedString NEWLINE = new SerializedString("\n");

    private final SensitiveKeys keys;
    private final PatternScanner patterns;
    private final JsonTextFallback fallback;

    JsonBodyRedactor(SensitiveKeys keys, PatternScanner patterns) {
        this.keys = keys;
        this.patterns = patterns;
        this.fallback = new JsonTextFallback(keys, patterns);
    }

    /** Returns {@code json} redacted, or the same instance when nothing was replaced. */
    String redact(String json, RedactionStats stats) {
        if (!keys.mightOccurIn(json) && !patterns.mightOccurIn(stringContents(json))) {
            // A match outside string literals matters only if this is not JSON after all.
            return patterns.mightOccurIn(json) && !isWellFormed(json) ? fallback.redact(json, stats) : json;
        }
        Rewrite rewrite = new Rewrite();
        String rewritten;
        try {
            rewritten = rewrite.run(json);
        } catch (IOException notJson) {
            return fallback.redact(json, stats);
        }
        if (rewrite.counts.total() == 0) {
            return json;
        }
        stats.add(RedactionStats.Kind.JSON, rewrite.counts.count(RedactionStats.Kind.JSON));
        stats.add(RedactionStats.Kind.PATTERN, rewrite.counts.count(RedactionStats.Kind.PATTERN));
        return rewritten;
    }

    private static boolean isWellFormed(String json) {
        try (JsonParser parser = FACTORY.createParser(json)) {
            while (parser.nextToken() != null) {
                // Tokens are only checked, not decoded.
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The raw contents of the string literals of {@code json}, one per line. Patterns only apply to
     * string values, and checking their cheap conditions on this rather than on the whole text keeps
     * numbers such as millisecond timestamps from passing for card-number candidates.
     */
    static String stringContents(String json) {
        char[] contents = new char[json.length()];
        int length = 0;
        boolean inString = false;
        for (int i = 0; i < contents.length; i++) {
            char c = json.charAt(i);
            if (!inString) {
                inString = c == '"';
            } else if (c == '"') {
                inString = false;
                contents[length++] = '\n';
            } else {
                contents[length++] = c;
                if (c == '\\' && i + 1 < contents.length) {
                    contents[length++] = json.charAt(++i);
                }
            }
        }
        return new String(contents, 0, length);
    }

    /** One pass over one document; its counts are published only if the whole document parses. */
    private final class Rewrite {

        private final RedactionStats counts = new RedactionStats();

        String run(String json) throws IOException {
            StringWriter out = new StringWriter(json.length() + 80);
            try (JsonParser parser = FACTORY.createParser(json);
                 JsonGenerator generator = FACTORY.createGenerator(out)) {
                generator.setRootValueSeparator(NEWLINE);
                copy(parser, generator);
            }
            return out.toString();
        }

        private void copy(JsonParser parser, JsonGenerator generator) throws IOException {
            int sensitiveDepth = 0;
            boolean sensitiveKey = false;
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                boolean sensitive = sensitiveDepth > 0 || sensitiveKey;
                sensitiveKey = false;
                switch (token) {
                    case FIELD_NAME -> {
                        String name = parser.currentName();
                        generator.writeFieldName(name);
                        sensitiveKey = sensitiveDepth == 0 && keys.matches(name);
                    }
                    case START_OBJECT, START_ARRAY -> {
                        if (token == JsonToken.START_OBJECT) {
                            generator.writeStartObject();
                        } else {
                            generator.writeStartArray();
                        }
                        sensitiveDepth += sensitive ? 1 : 0;
                    }
                    case END_OBJECT, END_ARRAY -> {
                        if (token == JsonToken.END_OBJECT) {
                            generator.writeEndObject();
                        } else {
                            generator.writeEndArray();
                        }
                        sensitiveDepth -= sensitiveDepth > 0 ? 1 : 0;
                    }
                    case VALUE_STRING -> {
                        String value = parser.getText();
                        generator.writeString(sensitive ? redactScalar(value) : patterns.redact(value, counts));
                    }
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                        if (sensitive) {
                            generator.writeString(redactScalar(parser.getText()));
                        } else {
                            generator.writeNumber(parser.getText());
                        }
                    }
                    case VALUE_TRUE, VALUE_FALSE -> {
                        if (sensitive) {
                            generator.writeString(redactScalar(parser.getText()));
                        } else {
                            generator.writeBoolean(token == JsonToken.VALUE_TRUE);
                        }
                    }
                    case VALUE_NULL -> generator.writeNull();
                    default -> throw new IOException("unexpected token " + token);
                }
            }
        }

        private String redactScalar(String value) {
            if (value.isEmpty() || RedactedValue.isRedacted(value)) {
                return value;
            }
            counts.increment(RedactionStats.Kind.JSON);
            return RedactedValue.of(value);
        }
    }
}
