package dev.tapline.goproxy.tls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Reads the ClientHello of a TLS connection that is relayed as it is (TLS_IN_UNWRAP off) from copies of the
 * client's first bytes, for its connection record. Keeps at most {@link ClientHelloParser#MAX_HELLO_BYTES} plus a
 * few record headers; never touches the relayed buffers' indexes.
 */
public final class ClientHelloSniffer {
    private static final int MAX_KEPT = ClientHelloParser.MAX_HELLO_BYTES + 1024;

    private byte[] kept = new byte[512];
    private int length;
    private ClientHello hello;

    /** Feeds the next client bytes; returns the hello once known ({@link ClientHello#UNREADABLE} if it cannot be). */
    public ClientHello offer(ByteBuf bytes) {
        if (hello != null) {
            return hello;
        }
        int n = Math.min(bytes.readableBytes(), MAX_KEPT - length);
        if (length + n > kept.length) {
            byte[] bigger = new byte[Math.min(MAX_KEPT, Math.max(kept.length * 2, length + n))];
            System.arraycopy(kept, 0, bigger, 0, length);
            kept = bigger;
        }
        bytes.getBytes(bytes.readerIndex(), kept, length, n);
        length += n;
        ClientHello parsed = ClientHelloParser.parse(Unpooled.wrappedBuffer(kept, 0, length));
        if (parsed == null && length >= MAX_KEPT) {
            parsed = ClientHello.UNREADABLE;
        }
        if (parsed != null) {
            hello = parsed;
            kept = null;
        }
        return hello;
    }

    /** What is known so far: the hello, or null. */
    public ClientHello hello() {
        return hello;
    }
}
