package dev.tapline.goproxy.relay;

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
 */
public record ConnectionInfo(long cid, String clientAddr, String directAddr, long acceptedNanos, boolean outbound,
        String backendAddr) {

    /** A client calling the app (reverse proxy). */
    public ConnectionInfo(long cid, String clientAddr, String directAddr, long acceptedNanos) {
        this(cid, clientAddr, directAddr, acceptedNanos, false, directAddr);
    }
}
