package dev.tapline.forwarder.ingest;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.tapline.capture.v1.Capture;
import dev.tapline.capture.v1.ProxyIdentity;
import dev.tapline.capture.v1.Rejection;
import dev.tapline.capture.v1.UploadBatch;
import dev.tapline.forwarder.facets.CaptureFacets;
import dev.tapline.forwarder.http.RequestTarget;
import dev.tapline.forwarder.registry.ProxyRegistry;
import dev.tapline.forwarder.store.StoredCapture;

/**
 * Turns an upload batch into rows for the store: validates each record, applies DLP to the valid ones, stamps
 * them with who sent them (app label and pod of the proxy, the cluster), and encodes them.
 *
 * <pre>
 *   UploadBatch --each record--&gt; CaptureValidator --bad--&gt; Rejection(index, id, reason)
 *                                       | ok
 *                                       v
 *                                CaptureRedaction --&gt; StoredCapture(columns, proto bytes)
 * </pre>
 */
public final class BatchPreparer {
    private final CaptureValidator validator;
    private final CaptureRedaction redaction;
    private final ProxyRegistry registry;
    private final String cluster;
    private final Clock clock;

    public BatchPreparer(CaptureValidator validator, CaptureRedaction redaction, ProxyRegistry registry,
            String cluster, Clock clock) {
        this.validator = validator;
        this.redaction = redaction;
        this.registry = registry;
        this.cluster = cluster;
        this.clock = clock;
    }

    /** The batch's rows and rejections; a capture that nothing changes is stored as the bytes it came in. */
    public PreparedBatch prepare(ReceivedBatch received) {
        UploadBatch batch = received.batch();
        String batchProxy = batch.getProxyId();
        ProxyIdentity sender = registry.identity(batchProxy).orElse(ProxyIdentity.getDefaultInstance());
        long receivedAt = nanos(clock.instant());
        List<StoredCapture> rows = new ArrayList<>(batch.getCapturesCount());
        List<Rejection> rejections = new ArrayList<>();
        for (int i = 0; i < batch.getCapturesCount(); i++) {
            Capture c = batch.getCaptures(i);
            String problem = validator.problem(c, batchProxy);
            if (problem != null) {
                rejections.add(Rejection.newBuilder().setCaptureId(cut(c.getId())).setIndex(i).setReason(problem).build());
                continue;
            }
            byte[] asReceived = received.record(i);
            if (c.getProxyId().isEmpty()) {
                c = c.toBuilder().setProxyId(batchProxy).build();
                asReceived = null;
            }
            ProxyIdentity who = c.getProxyId().equals(batchProxy) ? sender
                    : registry.identity(c.getProxyId()).orElse(ProxyIdentity.getDefaultInstance());
            Capture stored = redaction.apply(c);
            rows.add(row(stored, stored == c ? asReceived : null, who.getAppLabel(), who.getPodName(), cluster,
                    receivedAt));
        }
        return new PreparedBatch(batch.getBatchId(), rows, rejections);
    }

    /** The store's row for a capture (the indexer makes its rows from Kafka records with it too). */
    public static StoredCapture row(Capture c, String appLabel, String podName, String cluster, long receivedAt) {
        return row(c, null, appLabel, podName, cluster, receivedAt);
    }

    /**
     * As above; {@code record} is {@code c}'s message bytes when known (as uploaded, or a protobuf Kafka record), so
     * they are stored as they are, not encoded again; null: encoded here.
     */
    public static StoredCapture row(Capture c, byte[] record, String appLabel, String podName, String cluster,
            long receivedAt) {
        long ts = c.getRequestStartUnixNanos() > 0 ? c.getRequestStartUnixNanos() : receivedAt;
        String method = null;
        Integer status = null;
        String path = null;
        if (c.hasHttp()) {
            method = c.getHttp().getRequest().getMethod();
            path = RequestTarget.path(c.getHttp().getRequest().getTarget());
            if (c.getHttp().hasResponse()) {
                status = c.getHttp().getResponse().getStatusCode();
            }
        }
        return new StoredCapture(c.getId(), ts, c.getProxyId(), appLabel, podName, cluster, method, status, path,
                record != null ? record : c.toByteArray(), CaptureFacets.of(c, path));
    }

    /** An id too long for the store is echoed in the rejection only in part. */
    private static String cut(String id) {
        return id.length() <= CaptureValidator.MAX_ID_LENGTH ? id : id.substring(0, CaptureValidator.MAX_ID_LENGTH);
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
