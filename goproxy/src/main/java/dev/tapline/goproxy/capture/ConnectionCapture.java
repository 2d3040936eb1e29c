package dev.tapline.goproxy.capture;

import dev.tapline.goproxy.relay.ConnectionInfo;

/** The summary of a connection that was not decoded (HTTP/2, TLS, raw TCP). */
public record ConnectionCapture(ConnectionInfo connection, DetectedProtocol detected, long bytesClientToApp,
        long bytesAppToClient, long startUnixNanos, long endUnixNanos, long durationNanos) {
}
