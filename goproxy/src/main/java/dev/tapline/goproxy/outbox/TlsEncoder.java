package dev.tapline.goproxy.outbox;

import dev.tapline.capture.v1.Capture;
import dev.tapline.capture.v1.TlsInfo;
import dev.tapline.goproxy.tls.TlsSession;

/** Writes {@code Capture.tls} (a {@code TlsInfo}, field 21), the last field of a capture, when there is one. */
final class TlsEncoder {
    private TlsEncoder() {
    }

    static void write(ProtoWriter w, TlsSession tls) {
        if (tls == null) {
            return;
        }
        int m = w.beginMessage(Capture.TLS_FIELD_NUMBER);
        stringIfSet(w, TlsInfo.VERSION_FIELD_NUMBER, tls.version());
        stringIfSet(w, TlsInfo.CIPHER_FIELD_NUMBER, tls.cipher());
        stringIfSet(w, TlsInfo.SNI_FIELD_NUMBER, tls.sni());
        stringIfSet(w, TlsInfo.ALPN_FIELD_NUMBER, tls.alpn());
        for (String offered : tls.offeredAlpn()) {
            w.stringField(TlsInfo.OFFERED_ALPN_FIELD_NUMBER, offered);
        }
        w.boolField(TlsInfo.UNWRAPPED_FIELD_NUMBER, tls.unwrapped());
        w.endMessage(m);
    }

    private static void stringIfSet(ProtoWriter w, int field, String value) {
        if (value != null) {
            w.stringField(field, value);
        }
    }
}
