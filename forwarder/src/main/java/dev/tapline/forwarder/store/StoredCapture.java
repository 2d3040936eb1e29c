package dev.tapline.forwarder.store;

/**
 * One capture as the store keeps it: the columns the read API filters on, and the full record.
 *
 * @param id        the proxy-chosen capture id, unique in the store
 * @param tsNanos   when the exchange started, Unix epoch nanoseconds
 * @param proxyId   the proxy that captured it
 * @param appLabel  the proxy's APP_LABEL at the time ("" when the proxy was unknown)
 * @param podName   the proxy's APP_POD_NAME at the time
 * @param cluster   the forwarder's CLUSTER_NAME when it was stored
 * @param method    the request method, null for a connection record
 * @param status    the response status code, null when there was no response
 * @param path      the request-target without its query, null for a connection record
 * @param record    the {@code tapline.capture.v1.Capture} proto bytes, after DLP
 * @param direction the record's {@code Direction} number: 1 inbound (clients calling the app), 2 outbound (the app
 *                  calling others through the forward proxy), 0 unknown
 */
public record StoredCapture(String id, long tsNanos, String proxyId, String appLabel, String podName, String cluster,
        String method, Integer status, String path, byte[] record, int direction) {

    /** An inbound capture (the reverse proxy's). */
    public StoredCapture(String id, long tsNanos, String proxyId, String appLabel, String podName, String cluster,
            String method, Integer status, String path, byte[] record) {
        this(id, tsNanos, proxyId, appLabel, podName, cluster, method, status, path, record, 1);
    }
}
