package dev.tapline.goproxy.capture;

import dev.tapline.capture.v1.Capture;
import dev.tapline.capture.v1.ConnectionSummary;
import dev.tapline.capture.v1.Direction;
import dev.tapline.capture.v1.L7Protocol;
import dev.tapline.goproxy.relay.ConnectionInfo;

/** The summary of a connection that was not decoded (HTTP/2, TLS, raw TCP). */
record ConnectionCapture(ConnectionInfo connection, DetectedProtocol detected, long bytesClientToApp,
        long bytesAppToClient, long startUnixNanos, long endUnixNanos, long durationNanos) implements PendingCapture {

    @Override
    public long sizeBytes() {
        return 256;
    }

    @Override
    public Capture toProto(String id, String proxyId) {
        L7Protocol protocol = toProto(detected);
        return Capture.newBuilder()
                .setId(id).setProxyId(proxyId)
                .setCid(connection.cid()).setSequence(0)
                .setProtocol(protocol).setDirection(Direction.DIRECTION_INBOUND)
                .setClientAddr(connection.clientAddr()).setBackendAddr(connection.directAddr())
                .setRequestStartUnixNanos(startUnixNanos).setResponseEndUnixNanos(endUnixNanos)
                .setConnection(ConnectionSummary.newBuilder().setDetected(protocol)
                        .setBytesClientToApp(bytesClientToApp).setBytesAppToClient(bytesAppToClient)
                        .setDurationNs(durationNanos))
                .build();
    }

    static L7Protocol toProto(DetectedProtocol p) {
        if (p == null) {
            return L7Protocol.L7_PROTOCOL_TCP;
        }
        return switch (p) {
            case HTTP1 -> L7Protocol.L7_PROTOCOL_HTTP1;
            case HTTP2 -> L7Protocol.L7_PROTOCOL_HTTP2;
            case TLS -> L7Protocol.L7_PROTOCOL_TLS;
            case TCP -> L7Protocol.L7_PROTOCOL_TCP;
        };
    }
}
