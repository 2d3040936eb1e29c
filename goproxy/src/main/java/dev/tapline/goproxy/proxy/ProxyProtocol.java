package dev.tapline.goproxy.proxy;

import java.util.Locale;

/** What the forward proxy speaks on PROXY_OUT_PORT (the part of PROXY_PROTOCOL after "tcp:" in dual mode). */
public enum ProxyProtocol {
    /** Absolute-form requests ({@code GET http://host/path}) and {@code CONNECT host:port} tunnels. */
    HTTP,
    /** SOCKS4, SOCKS4a and SOCKS5 without authentication, CONNECT only. */
    SOCKS;

    /** The metric tag value. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
