package dev.tapline.goproxy.config;

import java.util.List;
import java.util.Map;

import dev.tapline.common.config.ConfigProblem;
import dev.tapline.common.config.EnvRules;
import dev.tapline.common.config.Rule;
import dev.tapline.common.identity.IdentityLimits;
import dev.tapline.goproxy.proxy.ProxyMode;
import io.netty.util.NetUtil;

/** The start-time check of goproxy's environment variables (declared in {@link GoproxySettings}). */
public final class GoproxyEnv {
    /**
     * The forwarder takes upload messages of up to 16 MiB. A batch is sealed once it holds CAPTURE_BATCH_BYTES, so it
     * is at most that plus one capture, and a capture is at most two bodies plus its heads and trailers (64 KiB each)
     * and up to 32 interim 1xx heads: with both settings at most 4 MiB a batch stays under 14.5 MiB. A larger one
     * would be refused by the forwarder and resent forever.
     */
    static final long MAX_BODY_OR_BATCH_BYTES = 4L << 20;
    static final String UPLOAD_FIT = "a batch of captures must fit in the forwarder's 16 MiB upload message";

    private GoproxyEnv() {
    }

    /** Each declared setting's rule ({@link GoproxySettings}), then the identity's limits, across settings. */
    public static List<ConfigProblem> check(Map<String, String> env) {
        EnvRules rules = new EnvRules(env);
        GoproxySettings.ALL.forEach(setting -> setting.check(rules));
        identity(rules);
        return rules.problems();
    }

    /** PROXY_TYPE's rule: reverse, forward or dual ({@link ProxyMode}; transparent is refused with its reason). */
    static void proxyType(EnvRules rules, String variable) {
        modeProblem(rules, variable);
    }

    /** PROXY_PROTOCOL's rule: what the forward proxy speaks must suit PROXY_TYPE. */
    static void proxyProtocol(EnvRules rules, String variable) {
        modeProblem(rules, variable);
    }

    /** The problem {@link ProxyMode} finds with PROXY_TYPE and PROXY_PROTOCOL, reported by the rule of its variable. */
    private static void modeProblem(EnvRules rules, String variable) {
        try {
            ProxyMode.of(rules.get("PROXY_TYPE"), rules.get("PROXY_PROTOCOL"));
        } catch (ProxyMode.Invalid e) {
            if (e.variable.equals(variable)) {
                rules.problem(variable, rules.get(variable), e.allowed);
            }
        }
    }

    /** REVERSE_PROXY_HOST and _PORT: required by every mode but forward (which has no app to relay to). */
    static Rule requiredUnlessForward(String what) {
        return (rules, variable) -> {
            if (!"forward".equalsIgnoreCase(rules.get("PROXY_TYPE"))) {
                rules.required(variable, what);
            }
        };
    }

    /** An address to listen on: an IPv4 or IPv6 literal (0.0.0.0 or :: for all interfaces). */
    static void bindAddress(EnvRules rules, String variable) {
        String v = rules.get(variable);
        if (v != null && !NetUtil.isValidIpV4Address(v) && !NetUtil.isValidIpV6Address(v)) {
            rules.problem(variable, v, "an IP address to listen on, e.g. 127.0.0.1 (loopback only, the default) or"
                    + " 0.0.0.0 (every interface: an open proxy unless a firewall says otherwise)");
        }
    }

    /** The forwarder refuses to register other identities; said here, at start, not as endless retries later. */
    private static void identity(EnvRules rules) {
        String podName = rules.get("APP_POD_NAME");
        if (podName != null && !IdentityLimits.isValidProxyId(podName)) {
            rules.problem("APP_POD_NAME", podName, "at most " + IdentityLimits.MAX_PROXY_ID_LENGTH
                    + " characters without spaces or control characters (it is the proxy's id)");
        }
        for (String name : List.of("APP_LABEL", "APP_POD_NAMESPACE")) {
            String v = rules.get(name);
            if (v != null && v.length() > IdentityLimits.MAX_FIELD_LENGTH) {
                rules.problem(name, v, "at most " + IdentityLimits.MAX_FIELD_LENGTH + " characters");
            }
        }
        // registered as "host:port", a field of at most 256 characters
        int maxHost = IdentityLimits.MAX_FIELD_LENGTH - ":65535".length();
        String host = rules.get("REVERSE_PROXY_HOST");
        if (host != null && host.length() > maxHost) {
            rules.problem("REVERSE_PROXY_HOST", host, "at most " + maxHost + " characters");
        }
    }
}
