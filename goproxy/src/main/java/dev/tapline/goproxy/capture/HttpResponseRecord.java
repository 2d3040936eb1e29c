package dev.tapline.goproxy.capture;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One decoded final (non-1xx, or 101) response: its head plus the kept prefix of its body.
 * Immutable; the body array given to the constructor is owned by the record from then on.
 *
 * @param statusCode    the three-digit status code
 * @param reason        the reason phrase, possibly empty
 * @param version       the protocol version, e.g. {@code HTTP/1.1}
 * @param headers       header fields in received order, original case, duplicates kept
 * @param body          the first {@code bodyCapBytes} bytes of the decoded body (chunk framing removed)
 * @param bodySize      the real decoded body size, which may exceed {@code body.length}
 * @param bodyTruncated whether bytes beyond the cap were dropped ({@code bodySize > body.length})
 * @param trailers      trailer fields of a chunked body, empty otherwise
 * @param complete      whether the whole message was received; a body delimited by the
 *                      connection closing is complete once the app side closes
 */
public record HttpResponseRecord(
        int statusCode,
        String reason,
        String version,
        List<HttpHeader> headers,
        byte[] body,
        long bodySize,
        boolean bodyTruncated,
        List<HttpHeader> trailers,
        boolean complete) {

    public HttpResponseRecord {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(body, "body");
        headers = HeaderBlock.immutable(headers);
        trailers = HeaderBlock.immutable(trailers);
    }

    /** A copy of the kept body bytes. */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The kept body bytes themselves, for the encoder, which only reads them. */
    byte[] bodyArray() {
        return body;
    }

    /** The kept body bytes as a read-only buffer, without copying. */
    public ByteBuffer bodyView() {
        return ByteBuffer.wrap(body).asReadOnlyBuffer();
    }

    /** The first value of the named header (case-insensitive), or {@code null}. */
    public String header(String name) {
        return HttpHeader.firstValue(headers, name);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HttpResponseRecord r
                && statusCode == r.statusCode
                && reason.equals(r.reason)
                && version.equals(r.version)
                && headers.equals(r.headers)
                && Arrays.equals(body, r.body)
                && bodySize == r.bodySize
                && bodyTruncated == r.bodyTruncated
                && trailers.equals(r.trailers)
                && complete == r.complete;
    }

    @Override
    public int hashCode() {
        return Objects.hash(statusCode, reason, version, headers, Arrays.hashCode(body), bodySize, trailers);
    }

    @Override
    public String toString() {
        return "HttpResponseRecord[" + version + " " + statusCode + " " + reason
                + ", headers=" + headers + ", kept=" + body.length + ", bodySize=" + bodySize
                + ", bodyTruncated=" + bodyTruncated + ", trailers=" + trailers
                + ", complete=" + complete + "]";
    }
}
