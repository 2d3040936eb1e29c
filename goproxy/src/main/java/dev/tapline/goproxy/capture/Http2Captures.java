package dev.tapline.goproxy.capture;

import org.jboss.logging.Logger;

import dev.tapline.common.log.LogFields;
import dev.tapline.goproxy.capture.http2.Http2StreamListener;
import dev.tapline.goproxy.capture.http2.Http2StreamRecord;
import dev.tapline.goproxy.relay.ConnectionInfo;

/** Where one HTTP/2 connection's decoded streams go: the debug log lines, the sink, the give-up counter. */
final class Http2Captures implements Http2StreamListener {
    private static final Logger LOG = Logger.getLogger(Http2Captures.class);

    private final ConnectionInfo connection;
    private final CaptureSink sink;
    private final CaptureStats stats;

    Http2Captures(ConnectionInfo connection, CaptureSink sink, CaptureStats stats) {
        this.connection = connection;
        this.sink = sink;
        this.stats = stats;
    }

    @Override
    public void onRequest(int streamId, String method, String path) {
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
    public void onGiveUp(String reason) {
        stats.decoderGiveUps.increment();
        if (LOG.isDebugEnabled()) {
            LOG.debugf("HTTP/2 decoding stopped, relaying undecoded", fields().and("reason", reason));
        }
    }

    private LogFields fields() {
        return CaptureTap.fields(connection);
    }
}
