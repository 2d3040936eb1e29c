package dev.tapline.goproxy.proxy;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What became of each request to the forward proxy, per front-end protocol: counted on the hot path with
 * {@link LongAdder}s, published as {@code goproxy.proxy.requests{protocol,outcome}}.
 */
public final class ProxyStats {

    /** The ways a forward-proxy request ends. */
    public enum Outcome {
        /** A CONNECT or SOCKS tunnel was opened. */
        TUNNEL,
        /** A plain-HTTP request was relayed to its origin. */
        FORWARDED,
        /** Malformed request or handshake: 400 or the SOCKS refusal, and a close. */
        BAD_REQUEST,
        /** A command or form the proxy does not serve (SOCKS BIND, UDP, an https:// absolute URL...). */
        NOT_SUPPORTED,
        /** The destination could not be reached: 502 or the SOCKS failure code. */
        UNREACHABLE,
        /** The destination is goproxy itself: refused, no loop. */
        LOOP_REFUSED;

        /** The metric tag value. */
        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Map<ProxyProtocol, Map<Outcome, LongAdder>> counts = new EnumMap<>(ProxyProtocol.class);

    public ProxyStats() {
        for (ProxyProtocol p : ProxyProtocol.values()) {
            Map<Outcome, LongAdder> m = new EnumMap<>(Outcome.class);
            for (Outcome o : Outcome.values()) {
                m.put(o, new LongAdder());
            }
            counts.put(p, m);
        }
    }

    public void count(ProxyProtocol protocol, Outcome outcome) {
        counts.get(protocol).get(outcome).increment();
    }

    public LongAdder counter(ProxyProtocol protocol, Outcome outcome) {
        return counts.get(protocol).get(outcome);
    }
}
