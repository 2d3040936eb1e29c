package dev.tapline.goproxy.proxy;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.util.NetUtil;
import io.vertx.core.net.SocketAddress;

/**
 * Refuses tunnels to goproxy's own listening ports: a CONNECT to itself would relay to itself until a socket or the
 * memory runs out. Checked twice: on the address as asked (a literal address or "localhost", no DNS on the event
 * loop) and once connected, on the address the name resolved to.
 */
public final class LoopGuard {
    private final Set<Integer> ownPorts = ConcurrentHashMap.newKeySet();
    private final Set<String> localAddresses;

    public LoopGuard() {
        this.localAddresses = Collections.unmodifiableSet(localAddresses());
    }

    /** A port goproxy listens on (known once its listener is up, as tests listen on port 0). */
    public void addOwnPort(int port) {
        if (port > 0) {
            ownPorts.add(port);
        }
    }

    /** Whether {@code host:port}, as the app asked for it, is goproxy itself. */
    public boolean isSelf(String host, int port) {
        if (!ownPorts.contains(port)) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost") || h.endsWith(".localhost")) {
            return true;
        }
        byte[] literal = NetUtil.createByteArrayFromIpAddressString(stripBrackets(h));
        return literal != null && isLocal(literal);
    }

    /** Whether the connected far side is goproxy itself. */
    public boolean isSelf(SocketAddress remote) {
        if (remote == null || !ownPorts.contains(remote.port()) || remote.hostAddress() == null) {
            return false;
        }
        byte[] address = NetUtil.createByteArrayFromIpAddressString(stripBrackets(remote.hostAddress()));
        return address != null && isLocal(address);
    }

    private boolean isLocal(byte[] address) {
        try {
            InetAddress a = InetAddress.getByAddress(address);
            return a.isLoopbackAddress() || a.isAnyLocalAddress() || localAddresses.contains(a.getHostAddress());
        } catch (java.net.UnknownHostException e) {
            return false; // not an address length: not ours
        }
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static Set<String> localAddresses() {
        Set<String> out = new HashSet<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    out.add(a.getHostAddress().replaceFirst("%.*$", ""));
                }
            }
        } catch (SocketException e) {
            // loopback and the wildcard address are still recognised
        }
        return out;
    }
}
