package dev.tapline.forwarder.testing;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** gRPC's length-prefixed messages as a call's HTTP/2 body carries them, uncompressed. */
public final class GrpcFrames {
    private GrpcFrames() {
    }

    /** Each message as a 5-byte prefix (not compressed, big-endian length) and its bytes. */
    public static byte[] framed(byte[]... messages) {
        ByteBuffer b = ByteBuffer.allocate(Arrays.stream(messages).mapToInt(m -> 5 + m.length).sum());
        for (byte[] m : messages) {
            b.put((byte) 0).putInt(m.length).put(m);
        }
        return b.array();
    }
}
