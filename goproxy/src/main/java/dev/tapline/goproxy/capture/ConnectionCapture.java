package dev.tapline.goproxy.capture;

import dev.tapline.capture.v1.L7Protocol;
import dev.tapline.goproxy.relay.ConnectionInfo;

/** The summary of a connection that was not decoded (HTTP/2, TLS, raw TCP). */
record ConnectionCapture(ConnectionInfo connection, DetectedProtocol detected, long bytesClientToApp,
        long bytesAppToClient, long startUnixNanos, long endUnixNanos, long durationNanos) {

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
