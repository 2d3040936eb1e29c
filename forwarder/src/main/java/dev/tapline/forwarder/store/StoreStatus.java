package dev.tapline.forwarder.store;

/**
 * Whether the last write to the store worked. Written by the {@link StoreWriter}, read by readiness: after a
 * failed write the store counts as not writable until a write (or maintenance step) succeeds again.
 */
public final class StoreStatus {
    private volatile String lastFailure;

    void writeSucceeded() {
        if (lastFailure != null) {
            lastFailure = null;
        }
    }

    void writeFailed(Throwable e) {
        lastFailure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** The error of the last write when it failed, null when it worked (or nothing was written yet). */
    public String lastFailure() {
        return lastFailure;
    }
}
