package dev.tapline.goproxy.proxy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.tapline.goproxy.relay.ConnectionInfo;
import dev.tapline.goproxy.relay.ConnectionTap;
import dev.tapline.goproxy.relay.Direction;
import dev.tapline.goproxy.relay.TapFactory;
import io.netty.buffer.ByteBuf;

/** Taps that keep who each connection was between and every byte the capture was shown, each way. */
final class RecordingTaps implements TapFactory {
    final List<Tapped> opened = new CopyOnWriteArrayList<>();

    static final class Tapped implements ConnectionTap {
        final ConnectionInfo info;
        private final ByteArrayOutputStream toApp = new ByteArrayOutputStream();
        private final ByteArrayOutputStream toClient = new ByteArrayOutputStream();
        volatile boolean closed;

        Tapped(ConnectionInfo info) {
            this.info = info;
        }

        @Override
        public synchronized void onBytes(Direction direction, ByteBuf bytes) {
            byte[] copy = new byte[bytes.readableBytes()];
            bytes.getBytes(bytes.readerIndex(), copy);
            (direction == Direction.CLIENT_TO_APP ? toApp : toClient).writeBytes(copy);
        }

        @Override
        public void onClosed() {
            closed = true;
        }

        synchronized String sent() {
            return toApp.toString(StandardCharsets.ISO_8859_1);
        }

        synchronized String received() {
            return toClient.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Override
    public ConnectionTap open(ConnectionInfo connection) {
        Tapped t = new Tapped(connection);
        opened.add(t);
        return t;
    }
}
