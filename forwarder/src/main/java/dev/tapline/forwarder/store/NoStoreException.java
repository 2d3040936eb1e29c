package dev.tapline.forwarder.store;

/**
 * Asked to read captures on a forwarder that has no store (an ingest-only node, see {@link NoStore}); the message
 * says where the captures went, for the read API to hand on.
 */
public class NoStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NoStoreException(String message) {
        super(message, null, false, false); // an expected answer, asked at every read: no stack trace to fill
    }
}
