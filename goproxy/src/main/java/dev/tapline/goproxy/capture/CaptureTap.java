package dev.tapline.goproxy.capture;

import java.nio.ByteBuffer;
import java.util.Map;

import org.jboss.logging.Logger;

import dev.tapline.common.config.GoDuration;
import dev.tapline.common.log.LogFields;
import dev.tapline.goproxy.relay.ConnectionInfo;
import dev.tapline.goproxy.relay.ConnectionTap;
import dev.tapline.goproxy.relay.Direction;
import dev.tapline.goproxy.tls.ClientHelloSniffer;
import dev.tapline.goproxy.tls.TlsSession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The capture side branch of one connection.
 *
 * <pre>
 *   first client bytes ──▶ ProtocolDetector ──HTTP1──▶ StreamDecoder ──exchange──▶ CaptureSink (encode into the batch)
 *                                          ├─HTTP2──▶ StreamDecoder ──stream────▶ CaptureSink
 *                                          └─other──▶ count bytes ──close──▶ ConnectionCapture ──▶ CaptureSink
 * </pre>
 *
 * Runs on the connection's event loop, before the bytes are forwarded; it reads the relayed buffers through
 * read-only views and copies only what the decoder keeps.
 */
final class CaptureTap implements ConnectionTap, ExchangeListener {
    private static final Logger LOG = Logger.getLogger(CaptureTap.class);
    private static final int PEEK_LIMIT = ProtocolDetector.MAX_PEEK_BYTES;
    /** Most app bytes held while the client has not spoken yet (an h2c server's SETTINGS and WINDOW_UPDATE). */
    private static final int APP_FIRST_LIMIT = 512;

    private final ConnectionInfo connection;
    private final Map<DetectedProtocol, DecoderFactory> decoders;
    private final CaptureSink sink;
    private final CaptureStats stats;
    private final long startUnixNanos = WallClock.nowNanos();
    private DetectedProtocol protocol;
    private byte[] peek;
    private int peekLength;
    private byte[] appFirst;
    private int appFirstLength;
    private StreamDecoder decoder;
    /** A TLS connection relayed as it is: its ClientHello's SNI and ALPN go into the connection record. */
    private ClientHelloSniffer hello;
    private long bytesClientToApp;
    private long bytesAppToClient;
    private boolean closed;

    CaptureTap(ConnectionInfo connection, Map<DetectedProtocol, DecoderFactory> decoders, CaptureSink sink,
            CaptureStats stats) {
        this.connection = connection;
        this.decoders = decoders;
        this.sink = sink;
        this.stats = stats;
    }

    @Override
    public void onBytes(Direction direction, ByteBuf bytes) {
        if (direction == Direction.CLIENT_TO_APP) {
            bytesClientToApp += bytes.readableBytes();
        } else {
            bytesAppToClient += bytes.readableBytes();
        }
        if (protocol == null) {
            detect(direction, bytes);
        } else if (decoder != null) {
            feed(direction, bytes);
        } else if (hello != null && direction == Direction.CLIENT_TO_APP) {
            hello.offer(bytes);
        }
    }

    private void detect(Direction direction, ByteBuf bytes) {
        if (direction == Direction.APP_TO_CLIENT) {
            if (!holdAppFirst(bytes)) {
                // the app spoke first: not HTTP (SMTP, MySQL, ...); relay it undecoded
                decided(DetectedProtocol.TCP, 0);
            }
            return;
        }
        long started = System.nanoTime();
        Detection detection;
        int earlier = peekLength; // client bytes of earlier reads, only peeked at so far
        if (earlier == 0 && bytes.readableBytes() >= PEEK_LIMIT) {
            detection = ProtocolDetector.detect(bytes.nioBuffer(bytes.readerIndex(), PEEK_LIMIT));
        } else {
            if (peek == null) {
                peek = new byte[PEEK_LIMIT];
            }
            int n = Math.min(bytes.readableBytes(), PEEK_LIMIT - peekLength);
            bytes.getBytes(bytes.readerIndex(), peek, peekLength, n);
            peekLength += n;
            detection = ProtocolDetector.detect(ByteBuffer.wrap(peek, 0, peekLength));
        }
        if (!detection.isDecided()) {
            return;
        }
        if (appFirst != null && detection != Detection.HTTP2) {
            appFirst = null;
            decided(DetectedProtocol.TCP, 0); // the app spoke first and the client is no HTTP/2 client
            return;
        }
        decided(detection.protocol(), System.nanoTime() - started);
        if (hello != null) {
            if (earlier > 0) {
                hello.offer(Unpooled.wrappedBuffer(peek, 0, earlier));
            }
            hello.offer(bytes);
        }
        if (decoder != null) {
            if (appFirst != null) {
                decoder.onBytes(Direction.APP_TO_CLIENT, ByteBuffer.wrap(appFirst, 0, appFirstLength));
            }
            appFirst = null;
            if (earlier > 0) {
                decoder.onBytes(Direction.CLIENT_TO_APP, ByteBuffer.wrap(peek, 0, earlier));
            }
            feed(direction, bytes);
        }
        peek = null;
    }

    /**
     * Keeps a copy of what the app sent before the client's first bytes while it can be an h2c server's SETTINGS
     * (an HTTP/2 server may speak first, RFC 9113 §3.4); false once it cannot, or past {@value #APP_FIRST_LIMIT}
     * bytes.
     */
    private boolean holdAppFirst(ByteBuf bytes) {
        int n = bytes.readableBytes();
        if (appFirstLength + n > APP_FIRST_LIMIT) {
            appFirst = null;
            return false;
        }
        if (appFirst == null) {
            appFirst = new byte[APP_FIRST_LIMIT];
        }
        bytes.getBytes(bytes.readerIndex(), appFirst, appFirstLength, n);
        appFirstLength += n;
        if (appFirstLength >= ProtocolDetector.HTTP2_FRAME_HEADER_LENGTH
                && !ProtocolDetector.isHttp2ServerPreface(ByteBuffer.wrap(appFirst, 0, appFirstLength))) {
            appFirst = null;
            return false;
        }
        return true;
    }

    private void decided(DetectedProtocol detected, long durationNanos) {
        protocol = detected;
        if (LOG.isDebugEnabled()) {
            LOG.debugf("CheckProtocol duration", fields().and("duration", GoDuration.formatNanos(durationNanos)));
            LOG.debugf("Detected protocol", fields().and("protocol", detected == DetectedProtocol.HTTP1 ? "HTTP" : detected.name()));
        }
        DecoderFactory factory = decoders.get(detected);
        if (factory != null) {
            decoder = factory.open(this);
        } else if (detected == DetectedProtocol.TLS && connection.tls() == null) {
            hello = new ClientHelloSniffer();
        }
        if (LOG.isDebugEnabled()) {
            LOG.debugf("ProxyAndDecode setup duration",
                    fields().and("duration", GoDuration.formatNanos(System.nanoTime() - connection.acceptedNanos())));
        }
    }

    private void feed(Direction direction, ByteBuf bytes) {
        if (decoder.gaveUp()) {
            return;
        }
        int count = bytes.nioBufferCount();
        if (count == 1) {
            decoder.onBytes(direction, bytes.nioBuffer());
        } else {
            for (ByteBuffer view : bytes.nioBuffers()) {
                decoder.onBytes(direction, view);
            }
        }
    }

    @Override
    public void onEnd(Direction direction) {
        if (decoder != null) {
            decoder.onEnd(direction);
        }
    }

    @Override
    public void onClosed() {
        if (closed) {
            return;
        }
        closed = true;
        if (decoder != null) {
            decoder.onConnectionClosed();
            return;
        }
        if (bytesClientToApp == 0 && bytesAppToClient == 0) {
            return; // nothing was said: no record
        }
        long end = WallClock.nowNanos();
        ConnectionInfo info = connection;
        if (hello != null && hello.hello() != null) {
            info = connection.withTls(TlsSession.relayed(hello.hello()));
        }
        sink.connection(new ConnectionCapture(info, protocol == null ? DetectedProtocol.TCP : protocol,
                bytesClientToApp, bytesAppToClient, startUnixNanos, end, System.nanoTime() - connection.acceptedNanos()));
    }

    @Override
    public boolean admit() {
        return sink.admit();
    }

    @Override
    public boolean admitBody(long bytes) {
        return sink.admitBody(bytes);
    }

    /** Only the debug log reads a dropped exchange's request. */
    @Override
    public boolean observesDroppedRequests() {
        return LOG.isDebugEnabled();
    }

    @Override
    public void onRequest(long sequence, RequestHead head) {
        if (LOG.isDebugEnabled()) {
            LOG.debugf("HTTP REQUEST", fields().and("sequenceNum", sequence, "url", head.target()));
        }
    }

    @Override
    public void onResponse(long sequence, HttpResponseRecord response) {
        if (LOG.isDebugEnabled()) {
            LOG.debugf("HTTP RESPONSE", fields().and("sequenceNum", sequence, "responseLength", response.bodySize()));
        }
    }

    @Override
    public void onExchange(HttpExchangeRecord exchange) {
        sink.http(connection, exchange);
    }

    @Override
    public void onStreamRequest(int streamId, String method, String path) {
        if (LOG.isDebugEnabled()) {
            LOG.debugf("HTTP REQUEST", fields().and("streamId", streamId, "url", path));
        }
    }

    @Override
    public void onStream(Http2StreamRecord stream) {
        if (LOG.isDebugEnabled() && stream.exchange().response() != null) {
            LOG.debugf("HTTP RESPONSE", fields().and("streamId", stream.streamId(),
                    "responseLength", stream.exchange().response().bodySize()));
        }
        sink.http2(connection, stream);
    }

    @Override
    public void onDecoderMemoryCap() {
        stats.decoderMemoryCapped.increment();
    }

    @Override
    public void onGiveUp(String reason) {
        stats.decoderGiveUps.increment();
        if (LOG.isDebugEnabled()) {
            LOG.debugf("HTTP decoding stopped, relaying undecoded", fields().and("reason", reason));
        }
    }

    private LogFields fields() {
        return LogFields.of("remoteAddr", connection.clientAddr(), "directAddr", connection.directAddr(), "cid", connection.cid());
    }
}
