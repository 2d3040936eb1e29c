package dev.tapline.goproxy.outbox;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import dev.tapline.common.identity.IdentityLimits;

/**
 * Capture ids: {@code <proxy id>-<random per run>-<counter>}, unique across restarts of the same proxy, so the
 * forwarder's deduplication never mistakes a new capture for a resent one. Handed out on whichever thread encodes
 * the capture.
 */
public final class CaptureIds {
    private final byte[] prefix;
    private final byte[] proxyId;
    private final AtomicLong next = new AtomicLong();

    public CaptureIds(String proxyId) {
        this.proxyId = proxyId.getBytes(StandardCharsets.UTF_8);
        String nonce = Long.toHexString(ThreadLocalRandom.current().nextLong());
        this.prefix = (idPart(proxyId) + "-" + nonce + "-").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The proxy id as it starts capture ids: cut so that any id (nonce up to 16 hex digits, counter up to 19
     * digits) stays within the forwarder's limit, which refuses longer ones. A proxy id may have 128 characters;
     * the random nonce, not the proxy id, keeps ids of different runs apart, and every capture carries its full
     * proxy id anyway.
     */
    static String idPart(String proxyId) {
        int max = IdentityLimits.MAX_CAPTURE_ID_LENGTH - (1 + 16 + 1 + 19);
        if (proxyId.length() <= max) {
            return proxyId;
        }
        return proxyId.substring(0, Character.isHighSurrogate(proxyId.charAt(max - 1)) ? max - 1 : max);
    }

    /** Writes the next id as field {@code field}. */
    void writeNext(ProtoWriter w, int field) {
        int start = w.beginMessage(field);
        w.raw(prefix, 0, prefix.length);
        w.asciiDecimal(next.getAndIncrement());
        w.endMessage(start);
    }

    /** The proxy id, UTF-8. */
    public byte[] proxyId() {
        return proxyId;
    }

    /** The proxy id as a string. */
    public String proxyIdString() {
        return new String(proxyId, StandardCharsets.UTF_8);
    }
}
