package dev.tapline.forwarder.dlp;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Locale;
import java.util.Set;

/**
 * How a body is redacted, decided from its {@code Content-Type}, and the charset its text is in
 * (the {@code charset} parameter, UTF-8 when absent or unsupported).
 *
 * @param kind    how to treat the body
 * @param charset the charset to decode and re-encode its text with
 */
record BodyFormat(Kind kind, Charset charset) {

    /** The treatments a body can get. */
    enum Kind {
        /** Parsed and rewritten: sensitive keys at any depth, then patterns on string values. */
        JSON,
        /** {@code key=value&...}: like a query string. */
        FORM,
        /** Patterns anywhere. */
        TEXT,
        /** Left untouched. */
        BINARY,
        /** No or unrecognised content type: JSON if it looks like JSON, text otherwise. */
        UNKNOWN
    }

    private static final Set<String> JSON_TYPES = Set.of(
            "application/json", "text/json", "application/x-ndjson", "application/ndjson",
            "application/jsonl", "application/x-jsonlines");

    private static final Set<String> TEXT_TYPES = Set.of(
            "application/xml", "application/javascript", "application/x-javascript",
            "application/ecmascript", "application/graphql", "application/yaml",
            "application/x-yaml", "application/sql", "application/csv");

    private static final Set<String> BINARY_TYPES = Set.of(
            "application/octet-stream", "application/pdf", "application/zip", "application/gzip",
            "application/x-gzip", "application/x-tar", "application/x-bzip2", "application/x-7z-compressed",
            "application/zstd", "application/wasm", "application/protobuf", "application/x-protobuf",
            "application/vnd.google.protobuf", "application/grpc", "application/msgpack",
            "application/x-msgpack", "application/cbor", "application/x-java-serialized-object");

    private static final Set<String> BINARY_TOP_LEVEL_TYPES =
            Set.of("image", "audio", "video", "font", "model");

    /** Classifies a {@code Content-Type} header value; {@code null} or blank means unknown. */
    static BodyFormat of(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return new BodyFormat(Kind.UNKNOWN, StandardCharsets.UTF_8);
        }
        int semicolon = contentType.indexOf(';');
        String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
                .trim().toLowerCase(Locale.ROOT);
        Charset charset = semicolon < 0
                ? StandardCharsets.UTF_8
                : charsetParameter(contentType.substring(semicolon + 1));
        return new BodyFormat(kindOf(mediaType), charset);
    }

    private static Kind kindOf(String mediaType) {
        if (JSON_TYPES.contains(mediaType) || mediaType.endsWith("+json")) {
            return Kind.JSON;
        }
        if (mediaType.equals("application/x-www-form-urlencoded")) {
            return Kind.FORM;
        }
        if (mediaType.startsWith("text/") || mediaType.startsWith("multipart/")
                || TEXT_TYPES.contains(mediaType) || mediaType.endsWith("+xml")) {
            return Kind.TEXT;
        }
        int slash = mediaType.indexOf('/');
        String topLevel = slash < 0 ? mediaType : mediaType.substring(0, slash);
        if (BINARY_TOP_LEVEL_TYPES.contains(topLevel) || BINARY_TYPES.contains(mediaType)
                || mediaType.startsWith("application/grpc") || mediaType.endsWith("+proto")
                || mediaType.endsWith("+zip") || mediaType.endsWith("+gzip") || mediaType.endsWith("+cbor")) {
            return Kind.BINARY;
        }
        return Kind.UNKNOWN;
    }

    private static Charset charsetParameter(String parameters) {
        for (String parameter : parameters.split(";")) {
            int eq = parameter.indexOf('=');
            if (eq < 0 || !parameter.substring(0, eq).trim().equalsIgnoreCase("charset")) {
                continue;
            }
            String name = parameter.substring(eq + 1).trim();
            if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
                name = name.substring(1, name.length() - 1);
            }
            try {
                return Charset.forName(name);
            } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                // A charset we cannot decode is most likely a typo for UTF-8; strict decoding
                // still leaves the body untouched if that guess is wrong.
                return StandardCharsets.UTF_8;
            }
        }
        return StandardCharsets.UTF_8;
    }
}
