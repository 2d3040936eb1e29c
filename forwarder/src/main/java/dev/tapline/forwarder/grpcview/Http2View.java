package dev.tapline.forwarder.grpcview;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.tapline.capture.v1.HttpExchange;
import dev.tapline.capture.v1.Http2Stream;

/**
 * An HTTP/2 stream's own facts in the read API: its id, and for a reset or pushed stream the code, who reset it
 * and the stream that carried the promise.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Http2View(long streamId, Long resetErrorCode, String resetBy, Long promisedOnStreamId) {

    /** The view, or null for an HTTP/1 exchange. */
    public static Http2View of(HttpExchange x) {
        if (!x.hasHttp2()) {
            return null;
        }
        Http2Stream s = x.getHttp2();
        return new Http2View(Integer.toUnsignedLong(s.getStreamId()),
                s.getReset() ? Integer.toUnsignedLong(s.getResetErrorCode()) : null,
                s.getReset() ? (s.getResetByApp() ? "app" : "client") : null,
                s.getPushed() ? Integer.toUnsignedLong(s.getPromisedOnStreamId()) : null);
    }
}
