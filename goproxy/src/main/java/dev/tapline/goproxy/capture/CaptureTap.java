package dev.tapline.goproxy.capture;

import java.nio.ByteBuffer;
import java.util.Map;

import org.jboss.logging.Logger;

import dev.tapline.common.config.GoDuration;
import dev.tapline.common.log.LogFields;
import dev.tapline.goproxy.relay.ConnectionInfo;
import dev.tapline.goproxy.relay.ConnectionTap;
import dev.tapline.goproxy.relay.Direction;
import io.netty.buffer.ByteBuf;

/**
 * The capture side branch of one connection.
 *
 * <pre>
 *   first client bytes ──▶ ProtocolDetector ──HTTP1──▶ StreamDecoder ──exchange──▶ CaptureSink (encode into the batch)
 *                                          └─other──▶ count bytes ──close──▶ ConnectionCapture ──▶ CaptureSink
 * </pre>
 *
 * Runs on the connection's event loop, before the bytes are forwarded; it reads the relayed buffers through
 * read-only views and copies only what the decoder keeps.
 */
final class CaptureTap implements ConnectionTap, ExchangeListener {
    private static final Logger LOG = Logger.getLogger(CaptureTap.class);
    private static final int PEEK_LIMIT = ProtocolDetector.MAX_PEEK_BYTES;

    private final ConnectionInfo connection;
    private final Map<DetectedProtocol, DecoderFactory> decoders;
    private final CaptureSink sink;
    private final CaptureStats stats;
    private final long startUnixNanos = WallClock.nowNanos();
    private DetectedProtocol protocol;
    private byte[] peek;
    private int peekLength;
    private StreamDecoder decoder;
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
        }
    }

    private void detect(Direction direction, ByteBuf bytes) {
        if (direction == Direction.APP_TO_CLIENT) {
            // the app spoke first: not HTTP (SMTP, MySQL, ...); relay it undecoded
            decided(DetectedProtocol.TCP, 0);
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
        decided(detection.protocol(), System.nanoTime() - started);
        if (decoder != null) {
            if (earlier > 0) {
                decoder.onBytes(Direction.CLIENT_TO_APP, ByteBuffer.wrap(peek, 0, earlier));
            }
            feed(direction, bytes);
        }
        peek = null;
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
        return LogFields.of("remoteAddr", connection.clientAddr(), "directAddr", connection.directAddr(), "cid", connection.cid());
    }
}
