package dev.tapline.goproxy.tls;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.tapline.goproxy.relay.ConnectionInfo;
import dev.tapline.goproxy.relay.ConnectionTap;
import dev.tapline.goproxy.relay.Direction;
import dev.tapline.goproxy.relay.TapFactory;
import io.netty.buffer.ByteBuf;

/** The relay's real tap seam, recording what each connection's tap was shown (the first 64 KiB each way). */
final class RecordingTaps implements TapFactory {
    static final int KEPT = 64 * 1024;

    /** One connection as its tap saw it. */
    static final class Seen implements ConnectionTap {
        final ConnectionInfo info;
        final ByteArrayOutputStream clientBytes = new ByteArrayOutputStream();
        final ByteArrayOutputStream appBytes = new ByteArrayOutputStream();
        volatile long clientTotal;
        volatile boolean closed;

        Seen(ConnectionInfo info) {
            this.info = info;
        }

        @Override
        public synchronized void onBytes(Direction direction, ByteBuf bytes) {
            ByteArrayOutputStream to = direction == Direction.CLIENT_TO_APP ? clientBytes : appBytes;
            if (direction == Direction.CLIENT_TO_APP) {
                clientTotal += bytes.readableBytes();
            }
            int n = Math.min(bytes.readableBytes(), KEPT - to.size());
            byte[] copy = new byte[Math.max(0, n)];
            bytes.getBytes(bytes.readerIndex(), copy);
            to.write(copy, 0, copy.length);
        }

        @Override
        public void onClosed() {
            closed = true;
        }

        synchronized String client() {
            return clientBytes.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
        }

        synchronized String app() {
            return appBytes.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    final List<Seen> seen = new CopyOnWriteArrayList<>();

    @Override
    public ConnectionTap open(ConnectionInfo connection) {
        Seen s = new Seen(connection);
        seen.add(s);
        return s;
    }
}
