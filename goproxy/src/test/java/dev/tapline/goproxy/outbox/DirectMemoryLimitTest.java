package dev.tapline.goproxy.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.tapline.goproxy.capture.CaptureStats;
import dev.tapline.goproxy.relay.ConnectionInfo;

/**
 * Sealed batches live in direct memory; when the JVM's direct memory limit is below what the capture queue may
 * hold, sealing a batch fails with an OutOfMemoryError. Those captures must be dropped and counted, the queue's
 * byte budget given back, and capture must resume once memory is free again, without the caller (the relay's
 * event loop) ever seeing an error.
 *
 * <p>Runs in its own JVM with {@code -XX:MaxDirectMemorySize=16m} (the {@code direct-memory-limit} execution in
 * goproxy's pom), below the 64 MiB queue used here.
 */
class DirectMemoryLimitTest {
    private static final int BODY = 100_000;
    private static final long QUEUE_BYTES = 64L << 20;

    private final CaptureStats stats = new CaptureStats();
    private final ConnectionInfo conn = new ConnectionInfo(3, "c:1", "a:2", 0);
    private long sequence;

    @Test
    void capturesBeyondTheDirectMemoryLimitAreDroppedAndCountedThenCaptureResumes() {
        // -Dtest=... also runs it in the default execution's JVM, without the limit: nothing to test there
        assumeTrue(System.getProperty("tapline.test.direct-memory-limit") != null, "runs in its own JVM only");
        assertThat(ManagementFactory.getRuntimeMXBean().getInputArguments())
                .as("this test needs its own JVM with a small direct memory limit").contains("-XX:MaxDirectMemorySize=16m");
        CaptureQueue queue = new CaptureQueue(QUEUE_BYTES);
        CaptureBatcher batcher = new CaptureBatcher(queue, stats, new CaptureIds("p"), 1000, 1 << 20, () -> { });

        captureAbout(40 << 20, batcher); // 40 MiB of captures: fits the queue's budget, not the direct memory
        long budgetBytes = queue.bytes();
        long budgetRecords = queue.size();
        List<CaptureBatch> queued = drain(queue);
        long dropped = stats.droppedQueueFull.sum();
        assertThat(dropped).as("captures dropped when a batch could not be sealed").isPositive();
        assertThat(queued).as("what fitted in direct memory was kept").isNotEmpty();
        long queuedRecords = queued.stream().mapToLong(CaptureBatch::records).sum();
        assertThat(queuedRecords + dropped).as("every capture either queued or counted as dropped")
                .isEqualTo(sequence);
        assertThat(budgetRecords).as("the dropped captures went back to the queue's budget").isEqualTo(queuedRecords);
        assertThat(budgetBytes).as("and their bytes too")
                .isEqualTo(queued.stream().mapToLong(CaptureBatch::length).sum());
        assertThat(queue.bytes()).isZero();

        queued.forEach(CaptureBatch::release); // as the uploader does once the forwarder acked them
        long before = sequence;
        captureAbout(4 << 20, batcher);
        List<CaptureBatch> again = drain(queue);
        assertThat(stats.droppedQueueFull.sum()).as("nothing dropped once memory is free").isEqualTo(dropped);
        assertThat(again.stream().mapToLong(CaptureBatch::records).sum()).isEqualTo(sequence - before);
        again.forEach(CaptureBatch::release);
    }

    /**
     * Captures exchanges with {@code BODY}-byte bodies until about {@code bytes} were offered, then seals the rest.
     * No call may stall its caller (the relay's event loop): when the JDK cannot reserve direct memory it runs a GC
     * and sleeps up to 511 ms before it gives up, once per failed batch.
     */
    private void captureAbout(long bytes, CaptureBatcher batcher) {
        byte[] body = new byte[BODY];
        long slowest = 0;
        for (long offered = 0; offered < bytes; offered += BODY) {
            long t0 = System.nanoTime();
            batcher.http(conn, CaptureEncoderTest.exchange(sequence++,
                    CaptureEncoderTest.request("POST", "/", List.of(), body, BODY, false), null));
            slowest = Math.max(slowest, System.nanoTime() - t0);
        }
        batcher.sealOlderThan(0);
        assertThat(slowest / 1_000_000).as("ms of the slowest capture call").isLessThan(250);
    }

    /** Takes every sealed batch (out of the queue's budget; its direct memory stays until released). */
    private static List<CaptureBatch> drain(CaptureQueue queue) {
        List<CaptureBatch> batches = new ArrayList<>();
        for (CaptureBatch b; (b = queue.take()) != null; ) {
            batches.add(b);
        }
        return batches;
    }
}
