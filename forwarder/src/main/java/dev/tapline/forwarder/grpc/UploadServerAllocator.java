package dev.tapline.forwarder.grpc;

import jakarta.enterprise.context.ApplicationScoped;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.quarkus.grpc.api.ServerBuilderCustomizer;
import io.quarkus.grpc.runtime.config.GrpcServerConfiguration;
import io.vertx.grpc.VertxServerBuilder;

/**
 * The gRPC server's connections allocate from a pool of 16 MiB chunks instead of grpc-java's 2 MiB ones
 * ({@code maxOrder} 8). An upload holds every read buffer of its message (one batch: 2 MiB by goproxy's default
 * CAPTURE_BATCH_BYTES, 1 MiB when this was measured) until the message is whole, so a 2 MiB chunk filled past a
 * quarter and emptied with each message, and Netty frees a chunk that empties then: the
 * next message allocated a new direct buffer, zeroed and faulted in (perf of the event loop with 64 KiB captures:
 * {@code DirectByteBuffer.<init>} → {@code Unsafe.setMemory}, half its CPU). A message's buffers now stay within the
 * first quarter of a chunk (an eighth at 2 MiB), whose chunks Netty keeps. Costs one 16 MiB chunk per event loop that serves uploads.
 * docs/benchmarks/2026-12-03-bigrx-3.md
 */
@ApplicationScoped
public class UploadServerAllocator implements ServerBuilderCustomizer<VertxServerBuilder> {
    private static final int MAX_ORDER = 11; // chunk = page (8 KiB) << 11 = 16 MiB

    static final ByteBufAllocator ALLOCATOR = new PooledByteBufAllocator(true,
            PooledByteBufAllocator.defaultNumHeapArena(), PooledByteBufAllocator.defaultNumDirectArena(),
            PooledByteBufAllocator.defaultPageSize(), MAX_ORDER, PooledByteBufAllocator.defaultSmallCacheSize(),
            PooledByteBufAllocator.defaultNormalCacheSize(), PooledByteBufAllocator.defaultUseCacheForAllThreads());

    @Override
    public void customize(GrpcServerConfiguration config, VertxServerBuilder builder) {
        builder.nettyBuilder().withChildOption(ChannelOption.ALLOCATOR, ALLOCATOR);
    }
}
