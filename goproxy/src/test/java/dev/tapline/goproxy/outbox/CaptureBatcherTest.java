package dev.tapline.goproxy.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.tapline.capture.v1.Capture;
import dev.tapline.capture.v1.UploadBatch;
import dev.tapline.goproxy.capture.CaptureStats;
import dev.tapline.goproxy.capture.HttpExchangeRecord;
import dev.tapline.goproxy.config.GoproxySettings;
import dev.tapline.goproxy.relay.ConnectionInfo;
import io.netty.buffer.ByteBufUtil;
import io.quarkus.runtime.configuration.MemorySizeConverter;

class CaptureBatcherTest {
    private final CaptureStats stats = new CaptureStats();
    private final AtomicInteger wakes = new AtomicInteger();

    private static HttpExchangeRecord exchange(long sequence) {
        return CaptureEncoderTest.exchange(sequence, CaptureEncoderTest.request("GET", "/" + sequence, List.of(),
                new byte[0], 0, false), null);
    }

    private static List<Capture> captures(CaptureBatch batch) {
        try {
            return UploadBatch.parseFrom(ByteBufUtil.getBytes(batch.bytes())).getCapturesList();
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aBatchIsSealedWhenFullAndTheUploaderWokenOncePerBatch() {
        CaptureQueue queue = new CaptureQueue(1 << 20);
        CaptureBatcher batcher = new CaptureBatcher(queue, stats, new CaptureIds("p"), 10, 1 << 20, wakes::incrementAndGet);
        ConnectionInfo conn = new ConnectionInfo(3, "c:1", "a:2", 0);
        for (int i = 0; i < 25; i++) {
            batcher.http(conn, exchange(i));
        }
        assertThat(wakes.get()).isEqualTo(2);
        assertThat(queue.size()).isEqualTo(25);
        CaptureBatch first = queue.take();
        assertThat(first.records()).isEqualTo(10);
        assertThat(captures(first)).extracting(Capture::getSequence).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(queue.take().records()).isEqualTo(10);
        assertThat(queue.take()).as("5 captures wait in the open batch").isNull();
        assertThat(queue.size()).isEqualTo(5);

        batcher.sealOlderThan(3_600_000_000_000L);
        assertThat(queue.take()).as("not an hour old yet").isNull();
        batcher.sealOlderThan(0);
        CaptureBatch rest = queue.take();
        assertThat(captures(rest)).extracting(Capture::getSequence).containsExactly(20L, 21L, 22L, 23L, 24L);
        assertThat(queue.size()).isZero();
        assertThat(queue.bytes()).isZero();
        assertThat(stats.produced.sum()).isEqualTo(25);
    }

    /**
     * A batch's buffer is never grown (that would copy it): a capture it has no room left for seals it and starts
     * the next batch; one larger than CAPTURE_BATCH_BYTES gets a batch of its own size.
     */
    @Test
    void aBatchHoldsAtMostBatchBytesUnlessOneCaptureIsLarger() {
        CaptureQueue queue = new CaptureQueue(1 << 20);
        CaptureBatcher batcher = new CaptureBatcher(queue, stats, new CaptureIds("p"), 1000, 600, wakes::incrementAndGet);
        ConnectionInfo conn = new ConnectionInfo(3, "c:1", "a:2", 0);
        for (int i = 0; i < 4; i++) {
            int size = i == 2 ? 5_000 : 200;
            batcher.http(conn, CaptureEncoderTest.exchange(i, CaptureEncoderTest.request("POST", "/", List.of(),
                    new byte[size], size, false), null));
        }
        batcher.sealOlderThan(0);
        List<CaptureBatch> batches = new ArrayList<>();
        for (CaptureBatch b = queue.take(); b != null; b = queue.take()) {
            batches.add(b);
        }
        assertThat(batches).extracting(CaptureBatch::records).containsExactly(2, 1, 1); // 2 x ~260 bytes <= 600
        assertThat(batches.get(0).length()).isLessThanOrEqualTo(600);
        assertThat(batches.get(1).length()).isGreaterThan(5_000);
        assertThat(captures(batches.get(2))).extracting(Capture::getSequence).containsExactly(3L);
        assertThat(wakes.get()).as("the call that sealed two batches woke the uploader once").isEqualTo(1);
        batches.forEach(CaptureBatch::release);
    }

    /**
     * The declared defaults: small exchanges (the bench's: a GET and a 13-byte answer, ~360 bytes encoded) go
     * CAPTURE_BATCH_RECORDS = 4096 to a batch, CAPTURE_BATCH_BYTES (2M) holding all of them; with 64 KiB bodies
     * CAPTURE_BATCH_BYTES seals a batch at 2 MiB, 32 of them.
     */
    @Test
    void withTheDefaultsSmallCapturesGo4096ToABatchAndLargeOnesUpTo2MiB() {
        int records = Integer.parseInt(GoproxySettings.CAPTURE_BATCH_RECORDS.setting().defaultValue());
        long bytes = new MemorySizeConverter().convert(GoproxySettings.CAPTURE_BATCH_BYTES.setting().defaultValue())
                .asLongValue();
        CaptureQueue queue = new CaptureQueue(64L << 20);
        CaptureBatcher batcher = new CaptureBatcher(queue, stats, new CaptureIds("bench"), records, bytes,
                wakes::incrementAndGet);
        ConnectionInfo conn = new ConnectionInfo(3, "127.0.0.1:54321", "127.0.0.1:15000", 0);
        // The first buffers are small and double each time one runs out of room: within a few batches a batch
        // of small captures is sealed by its record count, not by its buffer.
        CaptureBatch small = null;
        for (int i = 0; i < 8 * 4096 && small == null; i++) {
            batcher.http(conn, benchExchange(i, new byte[13]));
            for (CaptureBatch sealed; (sealed = queue.take()) != null; ) {
                if (sealed.records() == 4096 && small == null) {
                    small = sealed;
                } else {
                    sealed.release();
                }
            }
        }
        assertThat(small).as("a batch of 4096 small captures").isNotNull();
        assertThat(small.length()).isLessThan(2 << 20);
        small.release();
        batcher.sealOlderThan(0);
        for (CaptureBatch rest; (rest = queue.take()) != null; ) {
            rest.release();
        }

        // A 64 KiB capture encodes to a little more than 64 KiB: 31 fill a batch of at most 2 MiB.
        for (int i = 0; i <= 32; i++) {
            batcher.http(conn, benchExchange(i, new byte[64 * 1024]));
        }
        CaptureBatch large = queue.take();
        assertThat(large.records()).isEqualTo(31);
        assertThat(large.length()).isBetween((2 << 20) - 66 * 1024, 2 << 20);
        large.release();
    }

    private static HttpExchangeRecord benchExchange(long sequence, byte[] body) {
        return CaptureEncoderTest.exchange(sequence,
                CaptureEncoderTest.request("GET", "/small", CaptureEncoderTest.headers("Host", "127.0.0.1:15004"),
                        new byte[0], 0, false),
                CaptureEncoderTest.response(200, "OK", CaptureEncoderTest.headers("Server", "nginx/1.22.1", "Date",
                        "Fri, 04 Dec 2026 10:35:35 GMT", "Content-Type", "application/octet-stream", "Content-Length",
                        String.valueOf(body.length), "Last-Modified", "Thu, 03 Dec 2026 20:56:01 GMT", "Connection",
                        "keep-alive", "ETag", "\"6930a2c1-d\"", "Accept-Ranges", "bytes"), body, body.length, false));
    }

    @Test
    void sealedBatchesLiveOffTheHeapEachInItsOwnBufferUntilReleased() {
        CaptureQueue queue = new CaptureQueue(1 << 20);
        CaptureBatcher batcher = new CaptureBatcher(queue, stats, new CaptureIds("p"), 2, 1 << 20, wakes::incrementAndGet);
        ConnectionInfo conn = new ConnectionInfo(3, "c:1", "a:2", 0);
        for (int i = 0; i < 6; i++) {
            batcher.http(conn, exchange(i));
        }
        List<CaptureBatch> batches = new ArrayList<>();
        for (CaptureBatch b = queue.take(); b != null; b = queue.take()) {
            batches.add(b);
        }
        assertThat(batches).hasSize(3);
        assertThat(batches).allSatisfy(b -> {
            assertThat(b.bytes().isDirect()).as("off the heap").isTrue();
            assertThat(b.bytes().refCnt()).isEqualTo(1);
        });
        // the writer's array went on with the next batches: the sealed ones kept their own bytes
        assertThat(captures(batches.get(0))).extracting(Capture::getSequence).containsExactly(0L, 1L);
        assertThat(captures(batches.get(1))).extracting(Capture::getSequence).containsExactly(2L, 3L);
        assertThat(captures(batches.get(2))).extracting(Capture::getSequence).containsExactly(4L, 5L);
        batches.forEach(CaptureBatch::release);
        assertThat(batches).allSatisfy(b -> assertThat(b.bytes().refCnt()).as("released").isZero());
    }

    @Test
    void discardingTheSealedBatchesReleasesThem() {
        CaptureQueue queue = new CaptureQueue(1 << 20);
        CaptureBatcher batcher = new CaptureBatcher(queue, stats, new CaptureIds("p"), 2, 1 << 20, wakes::incrementAndGet);
        ConnectionInfo conn = new ConnectionInfo(3, "c:1", "a:2", 0);
        for (int i = 0; i < 4; i++) {
            batcher.http(conn, exchange(i));
        }
        CaptureBatch first = queue.take();
        CaptureBatch second = queue.take();
        queue.push(first);
        queue.push(second);

        assertThat(queue.discardSealed()).isEqualTo(4);
        assertThat(first.bytes().refCnt()).isZero();
        assertThat(second.bytes().refCnt()).isZero();
        assertThat(queue.hasSealed()).isFalse();
    }

    @Test
    void aFullQueueDropsAndCountsAndTakesCapturesAgainOnceDrained() {
        CaptureQueue queue = new CaptureQueue(1000);
        CaptureBatcher batcher = new CaptureBatcher(queue, stats, new CaptureIds("p"), 2, 1 << 20, wakes::incrementAndGet);
        ConnectionInfo conn = new ConnectionInfo(3, "c:1", "a:2", 0);
        for (int i = 0; i < 100; i++) {
            batcher.http(conn, exchange(i));
        }
        long kept = queue.size();
        assertThat(kept).isBetween(1L, 99L);
        assertThat(stats.droppedQueueFull.sum()).isEqualTo(100 - kept);
        assertThat(queue.bytes()).isLessThanOrEqualTo(1000);
        while (queue.take() != null) {
            // the uploader took them
        }
        batcher.http(conn, exchange(100));
        assertThat(stats.droppedQueueFull.sum()).isEqualTo(100 - kept);
    }

    @Test
    void aBodyIsAdmittedOnlyIfItFitsInTheQueueAsItIsAndARefusalCountsAsOneDrop() {
        CaptureQueue queue = new CaptureQueue(100_000);
        CaptureBatcher batcher = new CaptureBatcher(queue, stats, new CaptureIds("p"), 1000, 1 << 20, wakes::incrementAndGet);
        assertThat(queue.reserve(100_000 - 20_000)).isTrue();

        assertThat(batcher.admit()).as("room left: the exchange starts").isTrue();
        assertThat(batcher.admitBody(20_000)).isTrue();
        assertThat(stats.droppedQueueFull.sum()).isZero();
        assertThat(batcher.admitBody(20_001)).as("a body larger than the room left").isFalse();
        assertThat(stats.droppedQueueFull.sum()).isEqualTo(1);
        assertThat(stats.produced.sum()).isEqualTo(1);
        assertThat(queue.bytes()).as("nothing is reserved by asking").isEqualTo(80_000);
    }

    @Test
    void manyThreadsWithTheTimerSealingMeanwhileLoseAndDuplicateNothing() throws Exception {
        CaptureQueue queue = new CaptureQueue(1L << 30);
        CaptureBatcher batcher = new CaptureBatcher(queue, stats, new CaptureIds("p"), 64, 1 << 20, wakes::incrementAndGet);
        int threads = 4;
        int each = 5_000;
        AtomicBoolean producing = new AtomicBoolean(true);
        Thread timer = new Thread(() -> {
            while (producing.get()) {
                batcher.sealOlderThan(0);
            }
        });
        timer.start();
        List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            ConnectionInfo conn = new ConnectionInfo(t, "c:" + t, "a:1", 0);
            Thread p = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    batcher.http(conn, exchange(i));
                }
            });
            producers.add(p);
            p.start();
        }
        for (Thread p : producers) {
            p.join();
        }
        producing.set(false);
        timer.join();
        batcher.sealOlderThan(0);

        Set<String> ids = new HashSet<>();
        Set<String> seen = new HashSet<>();
        for (CaptureBatch b = queue.take(); b != null; b = queue.take()) {
            List<Capture> in = captures(b);
            assertThat(in).hasSize(b.records());
            for (Capture c : in) {
                assertThat(ids.add(c.getId())).as("id %s once", c.getId()).isTrue();
                assertThat(seen.add(c.getCid() + "/" + c.getSequence())).isTrue();
            }
        }
        assertThat(seen).hasSize(threads * each);
        assertThat(queue.size()).isZero();
        assertThat(queue.bytes()).isZero();
    }
}
