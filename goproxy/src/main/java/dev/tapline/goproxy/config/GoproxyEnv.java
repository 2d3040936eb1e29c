package dev.tapline.goproxy.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.tapline.common.config.ConfigProblem;
import dev.tapline.common.config.EnvRules;
import dev.tapline.common.identity.IdentityLimits;

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

    /** PROXY_TYPE's rule: the other modes of the manual are named as not supported yet. */
    static void proxyType(EnvRules rules, String variable) {
        String type = rules.get(variable);
        if (type != null && !type.equalsIgnoreCase("reverse")) {
            boolean known = List.of("forward", "dual", "transparent").contains(type.toLowerCase(Locale.ROOT));
            rules.problem(variable, type, known
                    ? "reverse (" + type.toLowerCase(Locale.ROOT) + " is not supported yet)"
                    : "reverse (forward, dual and transparent are not supported yet)");
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
