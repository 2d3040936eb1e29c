package dev.tapline.forwarder.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * A shared secret a caller must present as {@code Authorization: Bearer <token>} (FORWARDER_TOKEN for gRPC,
 * API_TOKEN for the read API). Without a configured token everything is allowed.
 *
 * <p>The comparison takes the same time whatever the presented value: both sides are hashed to SHA-256 first and
 * the digests compared with {@link MessageDigest#isEqual}, so neither the content nor the length of the secret
 * leaks through timing.
 */
public final class BearerToken {
    private static final String PREFIX = "bearer ";

    private final byte[] expectedDigest;

    private BearerToken(byte[] expectedDigest) {
        this.expectedDigest = expectedDigest;
    }

    /** A blank or absent token means no check. */
    public static BearerToken of(Optional<String> token) {
        return new BearerToken(token.filter(t -> !t.isBlank()).map(t -> sha256(t.trim())).orElse(null));
    }

    public boolean required() {
        return expectedDigest != null;
    }

    /** Whether an {@code Authorization} header value (null when absent) lets the caller in. */
    public boolean allows(String authorization) {
        if (expectedDigest == null) {
            return true;
        }
        String presented = "";
        if (authorization != null && authorization.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            presented = authorization.substring(PREFIX.length()).trim();
        }
        // hash even a missing value: a failed check costs the same as a wrong one
        return MessageDigest.isEqual(expectedDigest, sha256(presented));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
