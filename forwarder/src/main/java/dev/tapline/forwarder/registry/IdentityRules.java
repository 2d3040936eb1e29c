package dev.tapline.forwarder.registry;

import java.util.List;

import dev.tapline.capture.v1.ProxyIdentity;
import dev.tapline.common.identity.IdentityLimits;

/**
 * What a proxy may register as: an id that can key the registry and the store, and identity strings of a sane
 * length (they are kept in memory for every proxy and stamped on every capture it sends).
 */
public final class IdentityRules {
    private IdentityRules() {
    }

    /** Why this identity cannot be registered, or null when it can. */
    public static String problem(ProxyIdentity p) {
        String id = p.getProxyId();
        if (id.isBlank()) {
            return "proxy.proxy_id is required";
        }
        if (!IdentityLimits.isValidProxyId(id)) {
            return "proxy.proxy_id must be at most " + IdentityLimits.MAX_PROXY_ID_LENGTH
                    + " characters without spaces or control characters";
        }
        for (String field : List.of(p.getAppLabel(), p.getPodName(), p.getPodNamespace(), p.getProxyType(),
                p.getVersion(), p.getBuildTime(), p.getListenAddr(), p.getBackendAddr())) {
            if (field.length() > IdentityLimits.MAX_FIELD_LENGTH) {
                return "the proxy's identity fields must be at most " + IdentityLimits.MAX_FIELD_LENGTH
                        + " characters each";
            }
        }
        return null;
    }
}
