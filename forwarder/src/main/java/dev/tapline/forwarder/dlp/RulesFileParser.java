package dev.tapline.forwarder.dlp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.PatternSyntaxException;

/**
 * Parses the content of a DLP rules file (format in {@link DlpRulesLoader}).
 *
 * <p>The file is read with a streaming parser rather than bound to a tree so that every problem,
 * type errors included, can be reported with the line and column where it is.
 */
final class RulesFileParser {

    private static final JsonFactory FACTORY = new JsonFactory();

    private final String source;
    private final List<String> headers = new ArrayList<>();
    private final List<String> keys = new ArrayList<>();
    private final List<ValuePattern> patterns = new ArrayList<>();
    private boolean extendsStandard;

    private RulesFileParser(String source) {
        this.source = source;
    }

    /**
     * Parses {@code content}; {@code source} names the file in error messages.
     *
     * @throws DlpConfigException when the content is not a valid rules file
     */
    static DlpRules parse(byte[] content, String source) {
        RulesFileParser parser = new RulesFileParser(source);
        try (JsonParser json = FACTORY.createParser(content)) {
            parser.parseDocument(json);
        } catch (JsonProcessingException e) {
            throw parser.problem(e.getLocation(), lowerFirst(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new DlpConfigException("DLP_CONFIG " + source + ": cannot parse: " + e.getMessage(), e);
        }
        DlpRules rules = DlpRules.of(parser.headers, parser.keys, parser.patterns);
        return parser.extendsStandard ? DlpRules.standard().mergedWith(rules) : rules;
    }

    private void parseDocument(JsonParser json) throws IOException {
        JsonToken token = json.nextToken();
        if (token == null) {
            throw new DlpConfigException(
                    "DLP_CONFIG " + source + ": the file is empty; expected a JSON object");
        }
        if (token != JsonToken.START_OBJECT) {
            throw problem(json, "expected a JSON object at the top level");
        }
        Set<String> seen = new HashSet<>();
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            if (!seen.add(field)) {
                throw problem(json, "duplicate field \"" + field + "\"");
            }
            switch (field) {
                case "headers" -> readNames(json, field, headers);
                case "keys" -> readNames(json, field, keys);
                case "patterns" -> readPatterns(json);
                case "extends" -> readExtends(json);
                default -> throw problem(json,
                        "unknown field \"" + field + "\"; expected headers, keys, patterns or extends");
            }
        }
        if (json.nextToken() != null) {
            throw problem(json, "unexpected content after the top-level object");
        }
    }

    private void readNames(JsonParser json, String field, List<String> into) throws IOException {
        if (json.nextToken() != JsonToken.START_ARRAY) {
            throw problem(json, "\"" + field + "\" must be an array of strings");
        }
        JsonToken token;
        while ((token = json.nextToken()) != JsonToken.END_ARRAY) {
            if (token != JsonToken.VALUE_STRING) {
                throw problem(json, "\"" + field + "\" must contain only strings");
            }
            if (json.getText().isBlank()) {
                throw problem(json, "\"" + field + "\" must not contain an empty name");
            }
            into.add(json.getText());
        }
    }

    private void readPatterns(JsonParser json) throws IOException {
        if (json.nextToken() != JsonToken.START_ARRAY) {
            throw problem(json, "\"patterns\" must be an array of objects");
        }
        Set<String> names = new HashSet<>();
        while (json.nextToken() != JsonToken.END_ARRAY) {
            JsonLocation start = json.currentTokenLocation();
            if (json.currentToken() != JsonToken.START_OBJECT) {
                throw problem(start, "\"patterns\" must contain only objects like {\"name\": \"jwt\"}", null);
            }
            ValuePattern pattern = readPattern(json, start);
            if (!names.add(pattern.name())) {
                throw problem(start, "duplicate pattern \"" + pattern.name() + "\"", null);
            }
            patterns.add(pattern);
        }
    }

    private ValuePattern readPattern(JsonParser json, JsonLocation start) throws IOException {
        String name = null;
        String regex = null;
        JsonLocation regexLocation = null;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            if (!field.equals("name") && !field.equals("regex")) {
                throw problem(json, "unknown field \"" + field + "\" in a pattern; expected name or regex");
            }
            if (json.nextToken() != JsonToken.VALUE_STRING || json.getText().isEmpty()) {
                throw problem(json, "pattern field \"" + field + "\" must be a non-empty string");
            }
            if (field.equals("name")) {
                name = json.getText();
            } else {
                regex = json.getText();
                regexLocation = json.currentTokenLocation();
            }
        }
        if (name == null) {
            throw problem(start, "a pattern needs a \"name\"", null);
        }
        return regex == null ? builtIn(name, start) : custom(name, regex, regexLocation);
    }

    private ValuePattern builtIn(String name, JsonLocation location) {
        Optional<ValuePattern> pattern = BuiltInPatterns.byName(name);
        if (pattern.isEmpty()) {
            throw problem(location, "unknown built-in pattern \"" + name + "\"; built-ins are "
                    + String.join(", ", BuiltInPatterns.names().stream().sorted().toList())
                    + " (give a \"regex\" for a custom pattern)", null);
        }
        return pattern.get();
    }

    private ValuePattern custom(String name, String regex, JsonLocation location) {
        try {
            return ValuePattern.custom(name, regex);
        } catch (PatternSyntaxException e) {
            throw problem(location, "pattern \"" + name + "\": invalid regex: " + e.getDescription()
                    + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""), e);
        } catch (IllegalArgumentException e) {
            throw problem(location, "pattern \"" + name + "\": " + e.getMessage(), e);
        }
    }

    private void readExtends(JsonParser json) throws IOException {
        if (json.nextToken() != JsonToken.VALUE_STRING
                || !json.getText().equals(DlpRulesLoader.STANDARD)) {
            throw problem(json, "\"extends\" must be \"standard\"");
        }
        extendsStandard = true;
    }

    private DlpConfigException problem(JsonParser json, String message) {
        return problem(json.currentTokenLocation(), message, null);
    }

    private DlpConfigException problem(JsonLocation location, String message, Throwable cause) {
        String where = location == null || location.getLineNr() < 1 ? ""
                : "line " + location.getLineNr() + ", column " + location.getColumnNr() + ": ";
        return new DlpConfigException("DLP_CONFIG " + source + ": " + where + message, cause);
    }

    private static String lowerFirst(String message) {
        if (message == null || message.isEmpty()) {
            return "invalid JSON";
        }
        return message.substring(0, 1).toLowerCase(Locale.ROOT) + message.substring(1);
    }
}
