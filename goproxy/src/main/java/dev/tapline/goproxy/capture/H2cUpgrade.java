package dev.tapline.goproxy.capture;

/**
 * Opens the HTTP/2 decoder of a connection that an HTTP/1.1 request turned into h2c: the request carried
 * {@code Upgrade: h2c} and the app answered {@code 101 Switching Protocols} (RFC 7540 §3.2). The HTTP/1 decoder
 * records the 101 exchange, then hands every later byte to the decoder opened here. Lets capture/http1 start
 * capture/http2 without knowing it.
 */
@FunctionalInterface
public interface H2cUpgrade {

    /**
     * @param request           the upgraded HTTP/1.1 request: it is stream 1, whose answer comes as HTTP/2
     * @param requestStartNanos when its first byte arrived (Unix epoch nanoseconds)
     * @param firstSequence     the sequence number of the first stream captured after the 101 exchange
     */
    StreamDecoder open(ExchangeListener listener, HttpRequestRecord request, long requestStartNanos, long firstSequence);
}
