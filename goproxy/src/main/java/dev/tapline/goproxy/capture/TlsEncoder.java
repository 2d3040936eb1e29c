package dev.tapline.goproxy.capture;

import dev.tapline.goproxy.tls.TlsSession;

/** Writes {@code Capture.tls} (a {@code TlsInfo}, field 21), the last field of a capture, when there is one. */
final class TlsEncoder {
    /** Capture.tls */
    static final int CAPTURE_TLS = 21;

    private TlsEncoder() {
    }

    static void write(ProtoWriter w, TlsSession tls) {
        if (tls == null) {
            return;
        }
        int m = w.beginMessage(CAPTURE_TLS);
        stringIfSet(w, 1, tls.version());
        stringIfSet(w, 2, tls.cipher());
        stringIfSet(w, 3, tls.sni());
        stringIfSet(w, 4, tls.alpn());
        for (String offered : tls.offeredAlpn()) {
            w.stringField(5, offered);
        }
        w.boolField(6, tls.unwrapped());
        w.endMessage(m);
    }

    private static void stringIfSet(ProtoWriter w, int field, String value) {
        if (value != null) {
            w.stringField(field, value);
        }
    }
}
