package dev.tapline.goproxy.capture;

import java.nio.ByteBuffer;

import org.jboss.logging.Logger;

import dev.tapline.common.config.GoDuration;
import dev.tapline.common.log.LogFields;
import dev.tapline.goproxy.capture.http2.Http2Decoder;
import dev.tapline.goproxy.relay.ConnectionInfo;
import dev.tapline.goproxy.relay.ConnectionTap;
import dev.tapline.goproxy.relay.Direction;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The capture side branch of one connection.
 *
 * <pre>
 *   first client bytes ──▶ ProtocolDetector ──HTTP1──▶ HttpSniffer ──exchange──▶ CaptureSink (encode into the batch)
 *                                          ├─HTTP2──▶ Http2Decoder ──stream──▶ Http2Captures ──▶ CaptureSink
 *                                          └─other──▶ count bytes ──close──▶ ConnectionCapture ──▶ CaptureSink
 * </pre>
 *
 * Runs on the connection's event loop, before the bytes are forwarded; it reads the relayed buffers through
 * read-only views and copies only what the sniffer keeps.
 */
final class CaptureTap implements ConnectionTap, ExchangeListener {
    private static final Logger LOG = Logger.getLogger(CaptureTap.class);
    private static final int PEEK_LIMIT = ProtocolDetector.MAX_PEEK_BYTES;
    /** Most app bytes held while the client has not spoken yet (an h2c server's SETTINGS and WINDOW_UPDATE). */
    private static final int APP_FIRST_LIMIT = 512;

    private final ConnectionInfo connection;
    private final SnifferLimits limits;
    private final CaptureSink sink;
    private final CaptureStats stats;
    private final long startUnixNanos = WallClock.nowNanos();
    private DetectedProtocol protocol;
    private byte[] peek;
    private int peekLength;
    private byte[] appFirst;
    private int appFirstLength;
    private HttpSniffer sniffer;
    private Http2Decoder h2;
    private long bytesClientToApp;
    private long bytesAppToClient;
    private boolean closed;

    CaptureTap(ConnectionInfo connection, SnifferLimits limits, CaptureSink sink, CaptureStats stats) {
        this.connection = connection;
        this.limits = limits;
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
        } else if (sniffer != null) {
            feed(direction, bytes);
        } else if (h2 != null) {
            feedH2(direction, bytes);
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
        if (sniffer != null) {
            if (earlier > 0) {
                sniffer.onClientBytes(ByteBuffer.wrap(peek, 0, earlier));
            }
            feed(direction, bytes);
        } else if (h2 != null) {
            if (appFirst != null) {
                h2.onAppBytes(Unpooled.wrappedBuffer(appFirst, 0, appFirstLength));
                appFirst = null;
            }
            if (earlier > 0) {
                h2.onClientBytes(Unpooled.wrappedBuffer(peek, 0, earlier));
            }
            feedH2(direction, bytes);
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
        if (detected == DetectedProtocol.HTTP1) {
            sniffer = new HttpSniffer(limits, this, WallClock::nowNanos);
        } else if (detected == DetectedProtocol.HTTP2) {
            h2 = new Http2Decoder(new Http2Captures(connection, sink, stats), limits.bodyCapBytes(),
                    limits.maxHeaderBytes(), WallClock::nowNanos);
        }
        if (LOG.isDebugEnabled()) {
            LOG.debugf("ProxyAndDecode setup duration",
                    fields().and("duration", GoDuration.formatNanos(System.nanoTime() - connection.acceptedNanos())));
        }
    }

    private void feed(Direction direction, ByteBuf bytes) {
        if (sniffer.gaveUp()) {
            return;
        }
        int count = bytes.nioBufferCount();
        if (count == 1) {
            ByteBuffer view = bytes.nioBuffer();
            deliver(direction, view);
        } else {
            for (ByteBuffer view : bytes.nioBuffers()) {
                deliver(direction, view);
            }
        }
    }

    private void feedH2(Direction direction, ByteBuf bytes) {
        if (direction == Direction.CLIENT_TO_APP) {
            h2.onClientBytes(bytes);
        } else {
            h2.onAppBytes(bytes);
        }
    }

    private void deliver(Direction direction, ByteBuffer view) {
        if (direction == Direction.CLIENT_TO_APP) {
            sniffer.onClientBytes(view);
        } else {
            sniffer.onAppBytes(view);
        }
    }

    @Override
    public void onEnd(Direction direction) {
        if (sniffer != null) {
            if (direction == Direction.CLIENT_TO_APP) {
                sniffer.onClientClosed();
            } else {
                sniffer.onAppClosed();
            }
        }
    }

    @Override
    public void onClosed() {
        if (closed) {
            return;
        }
        closed = true;
        if (sniffer != null) {
            sniffer.onConnectionClosed();
            return;
        }
        if (h2 != null) {
            h2.onConnectionClosed();
            return;
        }
        if (bytesClientToApp == 0 && bytesAppToClient == 0) {
            return; // nothing was said: no record
        }
        long end = WallClock.nowNanos();
        sink.connection(new ConnectionCapture(connection, protocol == null ? DetectedProtocol.TCP : protocol,
                bytesClientToApp, bytesAppToClient, startUnixNanos, end, System.nanoTime() - connection.acceptedNanos()));
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
    public void onGiveUp(String reason) {
        stats.decoderGiveUps.increment();
        if (LOG.isDebugEnabled()) {
            LOG.debugf("HTTP decoding stopped, relaying undecoded", fields().and("reason", reason));
        }
    }

    private LogFields fields() {
        return fields(connection);
    }

    /** The fields every capture log line of a connection starts with. */
    static LogFields fields(ConnectionInfo connection) {
        return LogFields.of("remoteAddr", connection.clientAddr(), "directAddr", connection.directAddr(), "cid", connection.cid());
    }
}
