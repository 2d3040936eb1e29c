package dev.tapline.forwarder.testing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

import dev.tapline.forwarder.store.CaptureSink;
import dev.tapline.forwarder.store.SinkOutcome;
import dev.tapline.forwarder.store.StoreException;
import dev.tapline.forwarder.store.StoredCapture;

/** A store that hangs until the test opens it: the slowest store there is. Enabled by {@link BlockingSinkProfile}. */
@Alternative
@Singleton
public class BlockingSink implements CaptureSink {
    private final CountDownLatch open = new CountDownLatch(1);
    private final Set<String> ids = new HashSet<>();
    private final AtomicInteger calls = new AtomicInteger();

    @Override
    public List<SinkOutcome> store(List<StoredCapture> records) {
        calls.incrementAndGet();
        try {
            if (!open.await(60, TimeUnit.SECONDS)) {
                throw new StoreException("the test never opened the sink");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted", e);
        }
        List<SinkOutcome> out = new ArrayList<>();
        synchronized (ids) {
            for (StoredCapture r : records) {
                out.add(ids.add(r.id()) ? SinkOutcome.STORED : SinkOutcome.DUPLICATE);
            }
        }
        return out;
    }

    public void open() {
        open.countDown();
    }

    /** How many store calls reached the sink (the first one blocks until {@link #open()}). */
    public int calls() {
        return calls.get();
    }
}
