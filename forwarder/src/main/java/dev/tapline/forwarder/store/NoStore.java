package dev.tapline.forwarder.store;

import java.util.List;
import java.util.Optional;

import dev.tapline.forwarder.facets.EndpointStats;

/**
 * The read side of an ingest-only forwarder (SINK=kafka without INDEX_FROM_KAFKA), which opens no store: every
 * read is refused with {@link NoStoreException}, whose message says where the captures go, so that the read API
 * and the Analyzer tell the user to look there instead of showing an empty store.
 */
public final class NoStore implements CaptureReader, TrafficStats {
    private final String where;

    /** {@code topic}: the Kafka topic this forwarder publishes captures to. */
    public NoStore(String topic) {
        this.where = "this forwarder is an ingest-only node (SINK=kafka): it publishes captures to the Kafka topic "
                + topic + " and stores none; read them on the indexer, a forwarder with INDEX_FROM_KAFKA=true";
    }

    /** What each read answers. */
    public String message() {
        return where;
    }

    @Override
    public List<CaptureRef> findRefs(CaptureQuery query) {
        throw new NoStoreException(where);
    }

    @Override
    public List<StoredCapture> byIds(List<String> ids) {
        throw new NoStoreException(where);
    }

    @Override
    public Optional<StoredCapture> byId(String id) {
        throw new NoStoreException(where);
    }

    @Override
    public long[][] timeline(CaptureQuery query, long startNanos, long stepNanos, int buckets) {
        throw new NoStoreException(where);
    }

    @Override
    public List<EndpointStats> endpoints(CaptureQuery query, int max) {
        throw new NoStoreException(where);
    }
}
