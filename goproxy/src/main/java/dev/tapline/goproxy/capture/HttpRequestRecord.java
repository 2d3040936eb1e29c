package dev.tapline.goproxy.capture;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * One decoded request: its head plus the kept prefix of its body. Immutable; the body array
 * given to the constructor is owned by the record from then on (the decoder hands over a fresh
 * array and never touches it again, which spares a copy of up to a whole body cap).
 *
 * @param method        the method token
 * @param target        the request target exactly as sent
 * @param version       the protocol version, e.g. {@code HTTP/1.1}
 * @param headers       header fields in received order, original case, duplicates kept
 * @param content       the body: kept bytes, real size, truncated flag
 * @param trailers      trailer fields of a chunked body, empty otherwise
 * @param complete      whether the whole message was received; {@code false} when the
 *                      connection ended or decoding stopped in the middle of the body
 */
public record HttpRequestRecord(
        String method,
        String target,
        String version,
        List<HttpHeader> headers,
        MessageBody content,
        List<HttpHeader> trailers,
        boolean complete) {

    public HttpRequestRecord {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(content, "content");
        headers = HeaderBlock.immutable(headers);
        trailers = HeaderBlock.immutable(trailers);
    }

    /** The same, with the body's parts given one by one (as a decoder has them). */
    public HttpRequestRecord(String method, String target, String version, List<HttpHeader> headers, byte[] body,
            long bodySize, boolean bodyTruncated, List<HttpHeader> trailers, boolean complete) {
        this(method, target, version, headers, new MessageBody(body, bodySize, bodyTruncated), trailers, complete);
    }

    /** A copy of the kept body bytes. */
    public byte[] body() {
        return content.kept();
    }

    /** The real decoded body size, which may exceed {@code body().length}. */
    public long bodySize() {
        return content.size();
    }

    /** Whether body bytes beyond the cap were dropped. */
    public boolean bodyTruncated() {
        return content.truncated();
    }

    /** The kept body bytes as a read-only buffer, without copying. */
    public ByteBuffer bodyView() {
        return content.view();
    }

    /** The first value of the named header (case-insensitive), or {@code null}. */
    public String header(String name) {
        return HttpHeader.firstValue(headers, name);
    }
}
