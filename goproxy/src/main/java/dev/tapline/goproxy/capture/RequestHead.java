package dev.tapline.goproxy.capture;

import java.util.List;
import java.util.Objects;

/**
 * The request line and header section of one request, as sent by the client. Handed to
 * {@link ExchangeListener#onRequest} as soon as the head is complete, before any body.
 *
 * @param method  the method token, e.g. {@code GET}
 * @param target  the request target exactly as sent (origin, absolute, authority or asterisk form)
 * @param version the protocol version, e.g. {@code HTTP/1.1}
 * @param headers the header fields in received order, duplicates kept
 */
public record RequestHead(String method, String target, String version, List<HttpHeader> headers) {

    public RequestHead {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(version, "version");
        headers = HeaderBlock.immutable(headers);
    }

    /** The first value of the named header (case-insensitive), or {@code null}. */
    public String header(String name) {
        return HttpHeader.firstValue(headers, name);
    }
}
