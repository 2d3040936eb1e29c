package dev.tapline.goproxy.capture;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hand-off between the relay's event loops (many producers) and the uploader (one consumer), bounded in bytes.
 *
 * <p>{@link #offer} never blocks: when the capture does not fit it is dropped and counted, so a slow or absent
 * forwarder costs the relay nothing but the drop.
 */
public final class CaptureQueue {
    private final ConcurrentLinkedQueue<PendingCapture> items = new ConcurrentLinkedQueue<>();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong count = new AtomicLong();
    private final long maxBytes;
    private final CaptureStats stats;

    public CaptureQueue(long maxBytes, CaptureStats stats) {
        this.maxBytes = maxBytes;
        this.stats = stats;
    }

    /** Adds the capture if it fits; otherwise drops it, counts the drop and returns false. */
    public boolean offer(PendingCapture capture) {
        long size = capture.sizeBytes();
        if (bytes.addAndGet(size) > maxBytes) {
            bytes.addAndGet(-size);
            stats.droppedQueueFull.increment();
            return false;
        }
        items.add(capture);
        count.incrementAndGet();
        return true;
    }

    /** Takes up to {@code maxRecords} captures of about {@code maxBytes} in all (at least one when not empty). */
    public List<PendingCapture> take(int maxRecords, long maxBatchBytes) {
        List<PendingCapture> out = new ArrayList<>(Math.min(maxRecords, 256));
        long taken = 0;
        while (out.size() < maxRecords) {
            PendingCapture next = items.peek();
            if (next == null || (!out.isEmpty() && taken + next.sizeBytes() > maxBatchBytes)) {
                break;
            }
            items.poll();
            count.decrementAndGet();
            bytes.addAndGet(-next.sizeBytes());
            taken += next.sizeBytes();
            out.add(next);
        }
        return out;
    }

    public long bytes() {
        return bytes.get();
    }

    public long size() {
        return count.get();
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    /** Empties the queue, counting what was in it as dropped at shutdown. */
    public long discardAll() {
        long n = 0;
        while (items.poll() != null) {
            n++;
        }
        count.addAndGet(-n);
        bytes.set(0);
        stats.droppedShutdown.add(n);
        return n;
    }
}
