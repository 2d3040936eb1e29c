package dev.tapline.goproxy.tls;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import javax.net.ssl.SSLException;

import io.netty.handler.ssl.SslContext;

/**
 * What an {@link UnwrapSession} is given by its side: TLS_IN_UNWRAP ({@link TlsUnwrap}: the app's own certificate,
 * the app behind) or TLS_OUT_UNWRAP ({@link TlsIntercept}: a leaf minted for the host, the real host behind).
 */
interface UnwrapEnds {

    /**
     * The far side's context for this ALPN offer; null: plaintext there (TLS offload).
     *
     * @throws SSLException a context for a new offer could not be built
     */
    SslContext farContext(List<String> offer) throws SSLException;

    /**
     * The name checked against the far side's certificate (when it is checked) and the key of the far side's TLS
     * session cache, with the port: never null, so that every connection can resume an earlier session.
     *
     * @param host the far host as configured or asked
     * @param farIp the address the far socket is connected to (an IP literal)
     */
    String farPeer(ClientHello hello, String host, String farIp);

    /** The server name sent to the far side, whatever its form (a dotless name too); null: none. */
    String farSni(ClientHello hello, String host);

    /** The certificate shown to the client; may complete later, on another thread. */
    CompletableFuture<ServerContexts> clientContexts(ClientHello hello, String host);

    Duration handshakeTimeout();

    TlsStats stats();

    /** true: the far side is a dependency the app called through the forward proxy. */
    boolean outbound();
}
