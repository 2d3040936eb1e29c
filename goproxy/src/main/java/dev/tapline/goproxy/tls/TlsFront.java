package dev.tapline.goproxy.tls;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;

/**
 * First handler of a client connection when TLS_IN_UNWRAP is on: holds the client's first bytes until it can tell
 * TLS from plaintext, then steps aside.
 *
 * <pre>
 *   client bytes ──▶ TlsFront ──first byte not 0x16──▶ passed on unchanged (HTTP/1, h2c, TCP: as without TLS)
 *                        └──0x16, whole ClientHello──▶ held ──terminate()──▶ SslHandler ──plaintext──▶ relay
 * </pre>
 *
 * Runs on the connection's event loop. Reading stops once a decision is made; the relay resumes it.
 */
final class TlsFront extends ChannelInboundHandlerAdapter {
    static final String NAME = "tapline-tls-front";
    private static final int TLS_HANDSHAKE_RECORD = 0x16;

    /** What the front tells its session. */
    interface Listener {
        /** The first byte says TLS: the handshake clock starts. */
        void tlsStarted();

        void plain();

        void hello(ClientHello hello);
    }

    private final Listener listener;
    private ChannelHandlerContext ctx;
    private ByteBuf held;
    private boolean decided;

    TlsFront(Listener listener) {
        this.listener = listener;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (decided || !(msg instanceof ByteBuf buf)) {
            hold(msg); // after the decision: reads already under way, kept in order for whoever comes next
            return;
        }
        boolean first = held == null;
        hold(buf);
        if (!held.isReadable()) {
            return;
        }
        if (held.getUnsignedByte(held.readerIndex()) != TLS_HANDSHAKE_RECORD) {
            decided = true;
            ctx.channel().config().setAutoRead(false);
            listener.plain();
            passOn();
            return;
        }
        if (first) {
            listener.tlsStarted();
        }
        ClientHello hello = ClientHelloParser.parse(held);
        if (hello == null && held.readableBytes() > ClientHelloParser.MAX_HELLO_BYTES + 1024) {
            hello = ClientHello.UNREADABLE; // the TLS stack will judge these bytes
        }
        if (hello != null) {
            decided = true;
            ctx.channel().config().setAutoRead(false);
            listener.hello(hello);
        }
    }

    private void hold(Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (held == null) {
            held = buf;
        } else {
            held = ctx.alloc().compositeBuffer().addComponents(true, held, buf);
        }
    }

    /** Before any TLS byte: the app spoke first, so this is not TLS (SMTP, MySQL, ...). */
    void plainBecauseAppSpoke() {
        if (!decided) {
            decided = true;
            listener.plain();
            passOn();
        }
    }

    /** Hands the held ClientHello (and anything after it) to {@code ssl}, which takes this handler's place. */
    void terminate(SslHandler ssl) {
        ctx.pipeline().addAfter(NAME, "tapline-tls", ssl);
        passOn();
    }

    /** Passes what is held to the next handler and leaves the pipeline. */
    private void passOn() {
        ByteBuf bytes = held;
        held = null;
        ctx.pipeline().remove(this);
        if (bytes != null) {
            ctx.fireChannelRead(bytes);
            ctx.fireChannelReadComplete();
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (held != null) {
            held.release();
            held = null;
        }
    }
}
