package dev.tapline.goproxy.proxy;

import dev.tapline.goproxy.relay.Acceptor;
import dev.tapline.goproxy.relay.Relays;
import io.vertx.core.net.NetSocket;

/** The forward proxy's listener: each app connection goes to the front end of PROXY_PROTOCOL. */
public final class ForwardAcceptor implements Acceptor {
    private final ProxyProtocol protocol;
    private final LoopGuard loops;
    private final ProxyStats stats;

    public ForwardAcceptor(ProxyProtocol protocol, LoopGuard loops, ProxyStats stats) {
        this.protocol = protocol;
        this.loops = loops;
        this.stats = stats;
    }

    @Override
    public void accept(NetSocket socket, Relays relays) {
        if (protocol == ProxyProtocol.SOCKS) {
            new SocksFrontEnd(socket, relays, loops, stats).start();
        } else {
            new HttpFrontEnd(socket, relays, loops, stats).start();
        }
    }
}
