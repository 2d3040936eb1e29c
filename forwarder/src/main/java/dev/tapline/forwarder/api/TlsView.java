package dev.tapline.forwarder.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tapline.capture.v1.Capture;
import dev.tapline.capture.v1.TlsInfo;

/**
 * The {@code tls} object of a capture that came over TLS: {@code {"version":"TLSv1.3","cipher":"...","sni":"...",
 * "alpn":"h2"|"http/1.1"|null}}, plus what the client offered and whether goproxy unwrapped it (a TLS connection
 * relayed as it is only shows its ClientHello's sni and offered ALPN). Unknown values are null, not left out.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record TlsView(String version, String cipher, String sni, String alpn,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> offeredAlpn, boolean unwrapped) {

    /** The view of {@code c.tls}, or null when the capture did not come over TLS. */
    static TlsView of(Capture c) {
        if (!c.hasTls()) {
            return null;
        }
        TlsInfo t = c.getTls();
        return new TlsView(orNull(t.getVersion()), orNull(t.getCipher()), orNull(t.getSni()), orNull(t.getAlpn()),
                t.getOfferedAlpnList(), t.getUnwrapped());
    }

    /** HAR's custom {@code _tls} field (HAR 1.2 allows fields starting with "_"). */
    ObjectNode toHar() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("version", version).put("cipher", cipher).put("sni", sni).put("alpn", alpn).put("unwrapped", unwrapped);
        return o;
    }

    private static String orNull(String s) {
        return s.isEmpty() ? null : s;
    }
}
