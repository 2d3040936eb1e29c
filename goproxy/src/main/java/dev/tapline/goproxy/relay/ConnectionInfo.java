package dev.tapline.goproxy.relay;

import dev.tapline.goproxy.tls.TlsSession;

/**
 * Who one relayed connection is between.
 *
 * @param cid connection id, counting from 0 in accept order
 * @param clientAddr the client's "ip:port"
 * @param directAddr the app's "ip:port" as connected
 * @param acceptedNanos {@link System#nanoTime()} at accept, for setup durations
 * @param tls the client's TLS when goproxy unwrapped it (TLS_IN_UNWRAP), else null
 */
public record ConnectionInfo(long cid, String clientAddr, String directAddr, long acceptedNanos, TlsSession tls) {

    public ConnectionInfo(long cid, String clientAddr, String directAddr, long acceptedNanos) {
        this(cid, clientAddr, directAddr, acceptedNanos, null);
    }
}
