package dev.tapline.goproxy.capture;

import java.util.List;
import java.util.Objects;

/**
 * One request/response pair reconstructed from a connection, emitted by a {@link StreamDecoder}
 * in sequence order once both halves are done, or flushed incomplete when the connection ends
 * or decoding stops.
 *
 * @param sequence          0-based position of the request within its connection
 * @param request           the request (its body may be incomplete, see {@link HttpRequestRecord#complete()})
 * @param response          the final response, or {@code null} when none was seen
 * @param interimResponses  1xx responses received before the final one (100 Continue, 103 Early
 *                          Hints, ...), in order; 101 is a final response, not an interim one
 * @param responseMissing   no final response head was seen: the app closed, the connection
 *                          ended or decoding stopped before it arrived
 * @param decoderGaveUp     decoding of the connection stopped on malformed or unsupported
 *                          input while this exchange was open; its contents are what had been
 *                          decoded until then
 * @param upgraded          the response switched the connection to another protocol (101, or a
 *                          2xx answer to CONNECT); the bytes that followed were not decoded as HTTP/1
 *                          (after a 101 to h2c they are, as HTTP/2 streams)
 * @param requestStartNanos wall clock (Unix epoch ns) when the request's first byte arrived
 * @param responseEndNanos  wall clock when the last received byte of the final response
 *                          arrived, or 0 when there is no response
 */
public record HttpExchangeRecord(
        long sequence,
        HttpRequestRecord request,
        HttpResponseRecord response,
        List<ResponseHead> interimResponses,
        boolean responseMissing,
        boolean decoderGaveUp,
        boolean upgraded,
        long requestStartNanos,
        long responseEndNanos) {

    public HttpExchangeRecord {
        Objects.requireNonNull(request, "request");
        interimResponses = List.copyOf(interimResponses);
    }
}
