package dev.tapline.goproxy.tls;

import java.util.List;

/**
 * What a capture tells about the TLS its connection came over.
 *
 * @param version the negotiated version ("TLSv1.3"), null when the connection was relayed without unwrapping
 * @param cipher the negotiated cipher suite, null likewise
 * @param sni the server name the client asked for, or null
 * @param alpn the negotiated application protocol ("h2", "http/1.1"), or null when none was
 * @param offeredAlpn the protocols the client offered, in its order
 * @param unwrapped whether goproxy ended this TLS (TLS_IN_UNWRAP) or only read the ClientHello
 */
public record TlsSession(String version, String cipher, String sni, String alpn, List<String> offeredAlpn,
        boolean unwrapped) {

    public TlsSession {
        offeredAlpn = List.copyOf(offeredAlpn);
    }

    /** A TLS connection relayed as it is: what its ClientHello showed. */
    public static TlsSession relayed(ClientHello hello) {
        return new TlsSession(null, null, hello.sni(), null, hello.alpn(), false);
    }
}
