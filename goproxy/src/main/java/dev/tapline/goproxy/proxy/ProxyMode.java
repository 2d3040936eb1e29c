package dev.tapline.goproxy.proxy;

import java.util.Locale;
import java.util.Optional;

/**
 * What goproxy runs, from PROXY_TYPE and PROXY_PROTOCOL: the reverse proxy (clients calling the app), the forward
 * proxy (the app calling its dependencies) or both ("dual").
 *
 * @param reverse whether the reverse proxy listens on PROXY_IN_PORT
 * @param forward what the forward proxy speaks on PROXY_OUT_PORT, or null when there is none
 */
public record ProxyMode(boolean reverse, ProxyProtocol forward) {

    /** A PROXY_TYPE or PROXY_PROTOCOL that cannot be used: which variable, and what it accepts. */
    public static final class Invalid extends Exception {
        public final String variable;
        public final String allowed;

        Invalid(String variable, String allowed) {
            super(variable + ": " + allowed, null, false, false);
            this.variable = variable;
            this.allowed = allowed;
        }
    }

    /** @param type PROXY_TYPE (empty: reverse); @param protocol PROXY_PROTOCOL (empty: the type's default) */
    public static ProxyMode of(String type, String protocol) throws Invalid {
        String t = type == null || type.isBlank() ? "reverse" : type.toLowerCase(Locale.ROOT);
        String p = protocol == null || protocol.isBlank() ? null : protocol.toLowerCase(Locale.ROOT);
        switch (t) {
            case "reverse" -> {
                if (p != null && !p.equals("tcp")) {
                    throw new Invalid("PROXY_PROTOCOL", "tcp, or unset, with PROXY_TYPE=reverse (http and socks are"
                            + " for PROXY_TYPE=forward, tcp:http and tcp:socks for dual)");
                }
                return new ProxyMode(true, null);
            }
            case "forward" -> {
                return new ProxyMode(false, p == null ? ProxyProtocol.HTTP : forwardProtocol(p, "",
                        "http or socks with PROXY_TYPE=forward"));
            }
            case "dual" -> {
                return new ProxyMode(true, p == null ? ProxyProtocol.HTTP : forwardProtocol(p, "tcp:",
                        "tcp:http or tcp:socks with PROXY_TYPE=dual (reverse side : forward side)"));
            }
            case "transparent" -> throw new Invalid("PROXY_TYPE", "reverse, forward or dual (transparent is not"
                    + " supported: it needs the pod's traffic redirected by iptables; use forward with the app's"
                    + " HTTP_PROXY/HTTPS_PROXY instead)");
            default -> throw new Invalid("PROXY_TYPE", "reverse, forward or dual");
        }
    }

    private static ProxyProtocol forwardProtocol(String p, String prefix, String allowed) throws Invalid {
        return switch (p.startsWith(prefix) ? p.substring(prefix.length()) : "") {
            case "http" -> ProxyProtocol.HTTP;
            case "socks" -> ProxyProtocol.SOCKS;
            default -> throw new Invalid("PROXY_PROTOCOL", allowed);
        };
    }

    /** The mode of a configuration whose values were checked at start. */
    public static ProxyMode checked(String type, Optional<String> protocol) {
        try {
            return of(type, protocol.orElse(null));
        } catch (Invalid e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The forward proxy listens. */
    public boolean forwards() {
        return forward != null;
    }
}
