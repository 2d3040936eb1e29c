package dev.tapline.goproxy.tls;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.netty.handler.ssl.SslContext;

/**
 * What an {@link UnwrapSession} is given by its side: TLS_IN_UNWRAP ({@link TlsUnwrap}: the app's own certificate,
 * the app behind) or TLS_OUT_UNWRAP ({@link TlsIntercept}: a leaf minted for the host, the real host behind).
 */
interface UnwrapEnds {

    /** The far side's context for this ALPN offer; null: plaintext there (TLS offload). */
    SslContext farContext(List<String> offer);

    /** The name sent as SNI and checked against the far side's certificate; null: neither. */
    String farPeer(ClientHello hello, String host);

    /** The certificate shown to the client; may complete later, on another thread. */
    CompletableFuture<ServerContexts> clientContexts(ClientHello hello, String host);

    Duration handshakeTimeout();

    TlsStats stats();

    /** true: the far side is a dependency the app called through the forward proxy. */
    boolean outbound();
}
