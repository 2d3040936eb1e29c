package dev.tapline.goproxy.capture.http2;

import java.util.Base64;

import io.netty.handler.codec.http2.Http2Settings;

/**
 * The {@code HTTP2-Settings} field of an {@code Upgrade: h2c} request: the client's SETTINGS payload in base64url
 * (RFC 7540 §3.2.1), in force from the 101 on as if sent in a SETTINGS frame.
 */
final class UpgradeSettings {
    private static final int ENTRY_LENGTH = 6;

    private UpgradeSettings() {
    }

    /** The settings, or null when the field is absent or not a SETTINGS payload (then nothing is changed). */
    static Http2Settings parse(String field) {
        if (field == null) {
            return null;
        }
        byte[] payload;
        try {
            payload = Base64.getUrlDecoder().decode(field.trim().replace("=", ""));
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (payload.length % ENTRY_LENGTH != 0) {
            return null;
        }
        Http2Settings settings = new Http2Settings();
        for (int at = 0; at < payload.length; at += ENTRY_LENGTH) {
            char id = (char) (((payload[at] & 0xFF) << 8) | (payload[at + 1] & 0xFF));
            long value = ((payload[at + 2] & 0xFFL) << 24) | ((payload[at + 3] & 0xFF) << 16)
                    | ((payload[at + 4] & 0xFF) << 8) | (payload[at + 5] & 0xFF);
            try {
                settings.put(id, Long.valueOf(value));
            } catch (IllegalArgumentException e) {
                return null; // a value out of its range: the app refuses the upgrade too
            }
        }
        return settings;
    }
}
