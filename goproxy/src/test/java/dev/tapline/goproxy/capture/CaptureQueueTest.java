package dev.tapline.goproxy.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.tapline.capture.v1.Capture;

class CaptureQueueTest {
    private final CaptureStats stats = new CaptureStats();

    private record Sized(long size) implements PendingCapture {
        @Override
        public long sizeBytes() {
            return size;
        }

        @Override
        public Capture toProto(String id, String proxyId) {
            return Capture.getDefaultInstance();
        }
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfBlocking() {
        CaptureQueue queue = new CaptureQueue(1000, stats);
        assertThat(queue.offer(new Sized(600))).isTrue();
        assertThat(queue.offer(new Sized(600))).isFalse();
        assertThat(queue.offer(new Sized(400))).isTrue();
        assertThat(queue.offer(new Sized(1))).isFalse();
        assertThat(stats.droppedQueueFull.sum()).isEqualTo(2);
        assertThat(queue.bytes()).isEqualTo(1000);
        assertThat(queue.size()).isEqualTo(2);
    }

    @Test
    void takeRespectsRecordAndByteLimitsButAlwaysMakesProgress() {
        CaptureQueue queue = new CaptureQueue(10_000, stats);
        for (int i = 0; i < 5; i++) {
            queue.offer(new Sized(300));
        }
        queue.offer(new Sized(5000));
        assertThat(queue.take(3, 10_000)).hasSize(3);
        assertThat(queue.take(10, 500)).hasSize(1); // 300 fits, the next would not
        List<PendingCapture> rest = queue.take(10, 100); // the first is bigger than the limit: taken alone anyway
        assertThat(rest).hasSize(1);
        assertThat(queue.take(10, 100)).extracting(PendingCapture::sizeBytes).containsExactly(5000L);
        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.bytes()).isZero();
    }

    @Test
    void discardAllCountsShutdownDrops() {
        CaptureQueue queue = new CaptureQueue(10_000, stats);
        queue.offer(new Sized(10));
        queue.offer(new Sized(10));
        assertThat(queue.discardAll()).isEqualTo(2);
        assertThat(stats.droppedShutdown.sum()).isEqualTo(2);
        assertThat(queue.bytes()).isZero();
    }
}
