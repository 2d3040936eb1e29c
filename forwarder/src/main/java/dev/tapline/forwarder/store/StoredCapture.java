package dev.tapline.forwarder.store;

import dev.tapline.forwarder.facets.CaptureFacets;

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
 * @param facets    the figures the timeline and endpoints view add up (indexed columns)
 */
public record StoredCapture(String id, long tsNanos, String proxyId, String appLabel, String podName, String cluster,
        String method, Integer status, String path, byte[] record, CaptureFacets facets) {

    /** A row without facets (as read back for the API, which does not need them, and in store tests). */
    public StoredCapture(String id, long tsNanos, String proxyId, String appLabel, String podName, String cluster,
            String method, Integer status, String path, byte[] record) {
        this(id, tsNanos, proxyId, appLabel, podName, cluster, method, status, path, record, CaptureFacets.NONE);
    }
}
