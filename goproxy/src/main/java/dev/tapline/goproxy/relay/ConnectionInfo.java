package dev.tapline.goproxy.relay;

import dev.tapline.goproxy.tls.TlsSession;

/**
 * Who one relayed connection is between.
 *
 * @param cid connection id, counting from 0 in accept order
 * @param clientAddr the client's "ip:port"
 * @param directAddr the far side's "ip:port" as connected
 * @param acceptedNanos {@link System#nanoTime()} at accept, for setup durations
 * @param outbound true for the app's own calls through the forward proxy, false for clients calling the app
 * @param backendAddr the far side as asked: "host:port" of a CONNECT, SOCKS request or absolute URL; for the reverse
 *                    proxy the app's "ip:port", as {@code directAddr}
 * @param tls the client's TLS when goproxy unwrapped it (TLS_IN_UNWRAP, reverse proxy only), else null
 */
public record ConnectionInfo(long cid, String clientAddr, String directAddr, long acceptedNanos, boolean outbound,
        String backendAddr, TlsSession tls) {

    /** A client calling the app (reverse proxy), in plaintext. */
    public ConnectionInfo(long cid, String clientAddr, String directAddr, long acceptedNanos) {
        this(cid, clientAddr, directAddr, acceptedNanos, false, directAddr, null);
    }

    /** The same connection, with what was learnt of its TLS (e.g. a relayed ClientHello). */
    public ConnectionInfo withTls(TlsSession session) {
        return new ConnectionInfo(cid, clientAddr, directAddr, acceptedNanos, outbound, backendAddr, session);
    }
}
