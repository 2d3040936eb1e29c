package dev.tapline.goproxy.outbox;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.internal.PlatformDependent;

/**
 * Whether a batch's buffer can be taken from direct memory without the JDK's slow path. When the JDK cannot reserve
 * direct memory it runs a full GC and sleeps up to 511 ms before it throws; batches are started on the relay's event
 * loop, so that would stall every connection on it, once per batch, for as long as memory stays short. Looking first costs
 * two counter reads per batch.
 *
 * <p>The pool takes memory a chunk at a time, and whether a batch fits in a chunk it already holds is not known
 * here, so a batch is refused when a new chunk (or the batch, if larger) would not fit: capture stops one chunk
 * short of the limit, which also leaves the relay's own buffers that much room.
 */
final class DirectMemoryBudget {
    private static final BufferPoolMXBean JDK_DIRECT = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)
            .stream().filter(pool -> pool.getName().equals("direct")).findFirst().orElse(null);

    private DirectMemoryBudget() {
    }

    static boolean hasRoomFor(int length) {
        // Netty counts what it allocates itself (without the JDK's accounting), the JDK the rest; -1: not counted
        long nettyUsed = Math.max(0, PlatformDependent.usedDirectMemory());
        long jdkUsed = JDK_DIRECT == null ? 0 : Math.max(0, JDK_DIRECT.getMemoryUsed());
        long needed = Math.max(length, PooledByteBufAllocator.DEFAULT.metric().chunkSize());
        return nettyUsed + jdkUsed + needed <= PlatformDependent.maxDirectMemory();
    }
}
