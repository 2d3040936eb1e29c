package dev.tapline.forwarder.dlp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The replacement written in place of a sensitive value: {@code REDACTED-} followed by the
 * lowercase hex SHA-256 of the value's UTF-8 bytes. Hashing rather than masking lets two captures
 * be compared ("same token?") without either revealing it.
 */
final class RedactedValue {

    static final String PREFIX = "REDACTED-";

    /** Matches a replacement already present in a text, so that redacting is idempotent. */
    static final Pattern TOKEN = Pattern.compile("REDACTED-[0-9a-f]{64}");

    private static final HexFormat HEX = HexFormat.of();

    private RedactedValue() {
    }

    /** Returns the replacement for {@code value}. */
    static String of(String value) {
        return PREFIX + HEX.formatHex(sha256().digest(value.getBytes(StandardCharsets.UTF_8)));
    }

    /** Returns whether {@code value} is, as a whole, a replacement produced by {@link #of}. */
    static boolean isRedacted(String value) {
        return value.length() == PREFIX.length() + 64
                && value.startsWith(PREFIX)
                && TOKEN.matcher(value).matches();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform is required to provide SHA-256.
            throw new IllegalStateException(e);
        }
    }
}
