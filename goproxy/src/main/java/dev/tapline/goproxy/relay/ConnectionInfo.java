package dev.tapline.goproxy.relay;

/**
 * Who one relayed connection is between.
 *
 * @param cid connection id, counting from 0 in accept order
 * @param clientAddr the client's "ip:port"
 * @param directAddr the app's "ip:port" as connected
 * @param acceptedNanos {@link System#nanoTime()} at accept, for setup durations
 */
public record ConnectionInfo(long cid, String clientAddr, String directAddr, long acceptedNanos) {
}
