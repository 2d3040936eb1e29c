package dev.tapline.goproxy.tls;

import java.util.List;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * Sets the SNI a client engine sends. Both TLS stacks (the JDK's and Netty's OpenSSL engine) derive it from the peer
 * host only when that name has a dot; goproxy passes on whatever name the client or the tunnel gave, so it sets it.
 */
final class ServerNames {
    private ServerNames() {
    }

    /** @param name the server name; null: leave the engine as it is */
    static void set(SSLEngine engine, String name) {
        if (name == null) {
            return;
        }
        SNIHostName sni;
        try {
            sni = new SNIHostName(name);
        } catch (IllegalArgumentException notAHostName) {
            return; // not something SNI can carry (e.g. an underscore): the engine's own choice stands
        }
        SSLParameters params = engine.getSSLParameters();
        params.setServerNames(List.of(sni));
        engine.setSSLParameters(params);
    }
}
