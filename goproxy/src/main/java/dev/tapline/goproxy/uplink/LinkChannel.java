package dev.tapline.goproxy.uplink;

import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.tapline.capture.v1.ForwarderGrpc;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The link's thread and its gRPC channel to the forwarder. The thread is one event loop, which is also the channel's
 * I/O thread: gRPC's callbacks arrive on it and batches are written to the socket from it, so an upload costs no
 * hand-off between threads (the relay's core is shared by everything goproxy does).
 */
final class LinkChannel {
    private final EventLoopGroup loop;
    private final ScheduledExecutorService exec;
    private final ManagedChannel channel;
    private final ForwarderGrpc.ForwarderStub stub;

    LinkChannel(String forwarderAddr, Optional<String> token) {
        DefaultThreadFactory threads = new DefaultThreadFactory("forwarder-link", true);
        boolean epoll = Epoll.isAvailable();
        this.loop = epoll ? new EpollEventLoopGroup(1, threads) : new NioEventLoopGroup(1, threads);
        this.exec = loop.next();
        this.channel = NettyChannelBuilder.forTarget(forwarderAddr)
                .eventLoopGroup(loop)
                .channelType(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .usePlaintext()
                .keepAliveTime(30, TimeUnit.SECONDS)
                .keepAliveWithoutCalls(true)
                // callbacks come on the link's own loop: no need for gRPC's executor in between
                .directExecutor()
                .build();
        ForwarderGrpc.ForwarderStub base = ForwarderGrpc.newStub(channel);
        if (token.isPresent()) {
            Metadata auth = new Metadata();
            auth.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token.get());
            base = base.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(auth));
        }
        this.stub = base;
    }

    ScheduledExecutorService exec() {
        return exec;
    }

    ForwarderGrpc.ForwarderStub stub() {
        return stub;
    }

    /**
     * Runs a task on the link thread (queued, also when called on it: gRPC's callbacks must not re-enter it). Once
     * {@link #shutdown} has stopped the loop, event loops may still wake it: there is nothing left to do.
     */
    void execute(Runnable task) {
        try {
            exec.execute(task);
        } catch (RejectedExecutionException stopped) {
            // stopped: the stream and the queue were already dealt with by the link's stop
        }
    }

    /**
     * The channel's state, asking it to connect if idle. Our backoff decides when to try, so gRPC's own (which grows
     * to 2 minutes) is skipped when {@code resetBackoff}: a forwarder that is back is found at the next attempt.
     */
    ConnectivityState connect(boolean resetBackoff) {
        if (resetBackoff) {
            channel.resetConnectBackoff();
        }
        return channel.getState(true);
    }

    /** Runs {@code then} on the link thread once the channel leaves {@code seen} (gRPC tells; nothing polls). */
    void whenStateLeaves(ConnectivityState seen, Runnable then) {
        channel.notifyWhenStateChanged(seen, () -> execute(then));
    }

    /** Closes the channel first (its last callbacks run on the loop and find the link stopping), then the loop. */
    void shutdown() throws InterruptedException {
        channel.shutdownNow();
        channel.awaitTermination(2, TimeUnit.SECONDS);
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(2, TimeUnit.SECONDS);
    }
}
