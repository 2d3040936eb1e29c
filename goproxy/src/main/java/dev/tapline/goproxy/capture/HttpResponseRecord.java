package dev.tapline.goproxy.capture;

import java.nio.ByteBuffer;
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
 * @param content       the body: kept bytes, real size, truncated flag
 * @param trailers      trailer fields of a chunked body, empty otherwise
 * @param complete      whether the whole message was received; a body delimited by the
 *                      connection closing is complete once the app side closes
 */
public record HttpResponseRecord(
        int statusCode,
        String reason,
        String version,
        List<HttpHeader> headers,
        MessageBody content,
        List<HttpHeader> trailers,
        boolean complete) {

    public HttpResponseRecord {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(content, "content");
        headers = HeaderBlock.immutable(headers);
        trailers = HeaderBlock.immutable(trailers);
    }

    /** The same, with the body's parts given one by one (as a decoder has them). */
    public HttpResponseRecord(int statusCode, String reason, String version, List<HttpHeader> headers, byte[] body,
            long bodySize, boolean bodyTruncated, List<HttpHeader> trailers, boolean complete) {
        this(statusCode, reason, version, headers, new MessageBody(body, bodySize, bodyTruncated), trailers, complete);
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
