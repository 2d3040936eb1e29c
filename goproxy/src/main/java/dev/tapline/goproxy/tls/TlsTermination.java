package dev.tapline.goproxy.tls;

import io.vertx.core.net.impl.NetSocketInternal;

/** Ends TLS on relayed connections (TLS_IN_UNWRAP or TLS_OUT_UNWRAP): one {@link UnwrapSession} per connection. */
public interface TlsTermination {

    /** The session of one new client connection; {@link UnwrapSession#start} installs it. */
    UnwrapSession open(NetSocketInternal client, String clientAddr, long cid, UnwrapSession.Outcome outcome);
}
