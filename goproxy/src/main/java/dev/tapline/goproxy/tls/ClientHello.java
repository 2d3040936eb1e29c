package dev.tapline.goproxy.tls;

import java.util.List;

/**
 * What a TLS ClientHello shows in clear: the server name the client asked for and the application protocols it
 * offered (ALPN), in its order.
 *
 * @param sni the server_name (host_name) extension, or null when absent or unreadable
 * @param alpn the offered protocols, empty when none were offered or they were unreadable
 */
public record ClientHello(String sni, List<String> alpn) {
    /** A hello whose extensions could not be read (too large, split oddly, or not a hello at all). */
    public static final ClientHello UNREADABLE = new ClientHello(null, List.of());

    public ClientHello {
        alpn = List.copyOf(alpn);
    }

    public boolean offers(String protocol) {
        return alpn.contains(protocol);
    }
}
