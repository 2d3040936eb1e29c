package dev.tapline.goproxy.capture;

import java.util.List;
import java.util.Objects;

/**
 * The status line and header section of one response. Used on its own for interim (1xx)
 * responses, which have no body (RFC 9110 §15.2).
 *
 * @param statusCode the three-digit status code
 * @param reason     the reason phrase, possibly empty
 * @param version    the protocol version, e.g. {@code HTTP/1.1}
 * @param headers    the header fields in received order, duplicates kept
 */
public record ResponseHead(int statusCode, String reason, String version, List<HttpHeader> headers) {

    public ResponseHead {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(version, "version");
        headers = HeaderBlock.immutable(headers);
    }

    /** The first value of the named header (case-insensitive), or {@code null}. */
    public String header(String name) {
        return HttpHeader.firstValue(headers, name);
    }
}
