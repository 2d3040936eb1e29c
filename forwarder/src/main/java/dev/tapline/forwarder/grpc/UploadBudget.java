package dev.tapline.forwarder.grpc;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.BooleanSupplier;

/**
 * How many upload batches all streams together may hold at once (received, not yet acked). A stream asks for its
 * next batch only while there is room; otherwise it waits in line and is called back, first come first served,
 * as acks free room.
 *
 * <p>Room is taken when a batch arrives, not when it is asked for: an idle stream (a proxy with nothing to send)
 * then holds nothing, and the budget can only be overshot by the one batch each stream may have asked for.
 */
public final class UploadBudget {
    private final int capacity;
    private int used;
    private final Deque<BooleanSupplier> waiting = new ArrayDeque<>();

    public UploadBudget(int capacity) {
        this.capacity = capacity;
    }

    /**
     * Whether a stream may ask for one more batch now. When not, {@code resume} is queued and called once room
     * frees; it returns whether it asked for a batch (false: the stream has ended or needs nothing now).
     */
    public synchronized boolean roomOrWait(BooleanSupplier resume) {
        if (used < capacity) {
            return true;
        }
        waiting.add(resume);
        return false;
    }

    /** A batch arrived. */
    public synchronized void take() {
        used++;
    }

    /** A batch was acked (or dropped): room for one more, offered to the streams in line. */
    public void give() {
        synchronized (this) {
            used--;
        }
        BooleanSupplier next;
        while ((next = nextWaiting()) != null) {
            if (next.getAsBoolean()) {
                return;
            }
        }
    }

    private synchronized BooleanSupplier nextWaiting() {
        return used < capacity ? waiting.poll() : null;
    }

    public synchronized int used() {
        return used;
    }
}
