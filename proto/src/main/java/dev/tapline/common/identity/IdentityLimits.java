package dev.tapline.common.identity;

/**
 * What the forwarder accepts as a proxy's identity and as a capture id. The forwarder refuses anything else, so
 * goproxy checks its environment against the same limits at start and builds capture ids that fit.
 */
public final class IdentityLimits {
    /** A proxy id (goproxy's APP_POD_NAME) keys the registry and the store. */
    public static final int MAX_PROXY_ID_LENGTH = 128;
    /** Every other identity string (app label, namespace, addresses): kept in memory and stamped on captures. */
    public static final int MAX_FIELD_LENGTH = 256;
    /** A capture id, the key the forwarder deduplicates resends on. */
    public static final int MAX_CAPTURE_ID_LENGTH = 128;

    private IdentityLimits() {
    }

    /** Whether {@code id} can be a proxy id: 1 to 128 characters, no spaces or control characters. */
    public static boolean isValidProxyId(String id) {
        return !id.isEmpty() && id.length() <= MAX_PROXY_ID_LENGTH && isVisible(id);
    }

    /** No spaces and no control characters (ids end up in URLs, logs and keys). On the forwarder's ingest path. */
    public static boolean isVisible(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c == 0x7f) {
                return false;
            }
        }
        return true;
    }
}
