package dev.tapline.forwarder.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import dev.tapline.common.log.LogFields;

/**
 * The one thread that writes to the store. Batches come in through a bounded queue and are written in groups:
 *
 * <pre>
 *   preparing threads --write()--&gt; [queue, N batches] --&gt; writer thread --store(group)--&gt; CaptureSink
 *        (block while full)                                     | one transaction per group
 *                                                               '--&gt; completes each batch's future (then: ack)
 * </pre>
 *
 * Grouping several batches into one {@link CaptureSink#store} call is group commit: one durable commit serves many
 * batches. The writer takes what is waiting and, while the group is short of {@code groupRecords}, waits up to
 * {@code linger} for more: many proxies sending small batches rarely make them wait for each other, and committing
 * each alone costs more CPU per capture (ForwarderCpuBench measures it; figures in BENCHMARKS.md). A lone batch is
 * committed {@code linger} later. Maintenance work (retention) runs on the same thread between groups, so it never
 * contends with the writes for the store's lock.
 */
public final class StoreWriter implements CaptureDestination, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StoreWriter.class);

    private final CaptureSink sink;
    private final StoreStatus status;
    private final int groupRecords;
    private final long lingerNanos;
    private final BlockingQueue<Job> queue;
    private final ConcurrentLinkedQueue<Runnable> maintenance = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    private Job carried; // taken while lingering but too big for that group: the next group starts with it

    public StoreWriter(CaptureSink sink, StoreStatus status, int queueBatches, int groupRecords) {
        this(sink, status, queueBatches, groupRecords, Duration.ZERO);
    }

    public StoreWriter(CaptureSink sink, StoreStatus status, int queueBatches, int groupRecords, Duration linger) {
        this.sink = sink;
        this.status = status;
        this.groupRecords = groupRecords;
        this.lingerNanos = linger.toNanos();
        this.queue = new ArrayBlockingQueue<>(queueBatches);
        this.thread = new Thread(this::run, "store-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Hands records to the writer; waits while the queue is full (this is where a slow store pushes back).
     * The future completes on the writer thread once the records are durable, or fails with the store's error.
     */
    @Override
    public CompletableFuture<List<SinkOutcome>> write(List<StoredCapture> records) throws InterruptedException {
        Job job = new Job(records, new CompletableFuture<>());
        if (!running) {
            job.done.completeExceptionally(new StoreException("the store is shutting down"));
            return job.done;
        }
        queue.put(job);
        if (!thread.isAlive() && queue.remove(job)) {
            job.done.completeExceptionally(new StoreException("the store is shutting down"));
        }
        return job.done;
    }

    /** Runs {@code task} on the writer thread between two groups of writes. */
    public void submitMaintenance(Runnable task) {
        maintenance.add(task);
    }

    private void run() {
        List<Job> group = new ArrayList<>();
        while (running || carried != null || !queue.isEmpty()) {
            try {
                Job first = carried != null ? carried : queue.poll(100, TimeUnit.MILLISECONDS);
                carried = null;
                if (first != null) {
                    group.add(first);
                    collectGroup(group, first.records.size());
                    writeGroup(group);
                    group.clear();
                }
                runMaintenance();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                LOG.errorf(e, "Store writer failed unexpectedly");
            }
        }
        StoreException closed = new StoreException("the store is shutting down");
        group.forEach(job -> job.done.completeExceptionally(closed));
        if (carried != null) {
            carried.done.completeExceptionally(closed);
        }
        queue.forEach(job -> job.done.completeExceptionally(closed));
    }

    /** Adds waiting batches to the group, and those that come within the linger, up to groupRecords. */
    private void collectGroup(List<Job> group, int records) throws InterruptedException {
        long deadline = System.nanoTime() + lingerNanos;
        while (records < groupRecords) {
            Job next = queue.poll();
            if (next == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !running || (next = queue.poll(left, TimeUnit.NANOSECONDS)) == null) {
                    return;
                }
            }
            if (records + next.records.size() > groupRecords) {
                carried = next;
                return;
            }
            group.add(next);
            records += next.records.size();
        }
    }

    private void writeGroup(List<Job> group) {
        List<StoredCapture> all = new ArrayList<>();
        for (Job job : group) {
            all.addAll(job.records);
        }
        List<SinkOutcome> outcomes;
        try {
            outcomes = sink.store(all);
            status.writeSucceeded();
        } catch (RuntimeException e) {
            status.writeFailed(e);
            LOG.errorf("Could not store %d captures: %s", all.size(), e.getMessage(),
                    LogFields.of("captures", all.size(), "error", String.valueOf(e.getMessage())));
            group.forEach(job -> job.done.completeExceptionally(e));
            return;
        }
        int from = 0;
        for (Job job : group) {
            int to = from + job.records.size();
            job.done.complete(List.copyOf(outcomes.subList(from, to)));
            from = to;
        }
    }

    private void runMaintenance() {
        Runnable task;
        while (running && (task = maintenance.poll()) != null) {
            try {
                task.run();
                status.writeSucceeded();
            } catch (RuntimeException e) {
                status.writeFailed(e);
                LOG.errorf("Store maintenance failed: %s", e.getMessage());
            }
        }
    }

    /** Writes what is queued, then stops; batches queued after this fail. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
        }
    }

    private record Job(List<StoredCapture> records, CompletableFuture<List<SinkOutcome>> done) {
    }
}
