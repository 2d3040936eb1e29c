package dev.tapline.goproxy.capture;

import java.util.List;
import java.util.Objects;

/**
 * One header or trailer field exactly as received: the name keeps its original case and the
 * value is the field value without surrounding whitespace (RFC 9112 §5). Bytes are decoded as
 * ISO-8859-1, so every received byte maps to exactly one char and nothing is lost.
 */
public record HttpHeader(String name, String value) {

    public HttpHeader {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }

    /**
     * The value of the first field named {@code name} (compared case-insensitively, as field
     * names are), or {@code null} when there is none.
     */
    public static String firstValue(List<HttpHeader> fields, String name) {
        for (int i = 0, n = fields.size(); i < n; i++) {
            if (HeaderBlock.nameIs(fields, i, name)) {
                return HeaderBlock.value(fields, i);
            }
        }
        return null;
    }
}
