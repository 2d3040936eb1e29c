package dev.tapline.goproxy.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.tapline.common.config.ConfigProblem;
import dev.tapline.common.config.EnvRules;
import dev.tapline.common.identity.IdentityLimits;

/** goproxy's environment variables and what each accepts; checked before Quarkus starts. */
public final class GoproxyEnv {
    /**
     * The forwarder takes upload messages of up to 16 MiB. A batch is sealed once it holds CAPTURE_BATCH_BYTES, so it
     * is at most that plus one capture, and a capture is at most two bodies plus its heads and trailers (64 KiB each)
     * and up to 32 interim 1xx heads: with both settings at most 4 MiB a batch stays under 14.5 MiB. A larger one
     * would be refused by the forwarder and resent forever.
     */
    static final long MAX_BODY_OR_BATCH_BYTES = 4L << 20;
    private static final String UPLOAD_FIT = "a batch of captures must fit in the forwarder's 16 MiB upload message";

    private GoproxyEnv() {
    }

    public static List<ConfigProblem> check(Map<String, String> env) {
        EnvRules rules = new EnvRules(env);
        String type = rules.get("PROXY_TYPE");
        if (type != null && !type.equalsIgnoreCase("reverse")) {
            boolean known = List.of("forward", "dual", "transparent").contains(type.toLowerCase(Locale.ROOT));
            rules.problem("PROXY_TYPE", type, known
                    ? "reverse (" + type.toLowerCase(Locale.ROOT) + " is not supported yet)"
                    : "reverse (forward, dual and transparent are not supported yet)");
        }
        rules.port("PROXY_IN_PORT", false);
        rules.required("REVERSE_PROXY_HOST", "the host of the app goproxy relays to");
        rules.hostName("REVERSE_PROXY_HOST", "REVERSE_PROXY_PORT");
        rules.required("REVERSE_PROXY_PORT", "the port of the app goproxy relays to, 1-65535");
        rules.port("REVERSE_PROXY_PORT", false);
        rules.required("APP_LABEL", "the application's name");
        identity(rules);
        rules.required("FORWARDER_ADDR", "the forwarder's host:port");
        rules.hostPort("FORWARDER_ADDR");
        rules.port("METRICS_HTTP_PORT", false);
        rules.oneOf("LOG_LEVEL", "debug", "info", "warn", "error");
        rules.duration("IDLE_TIMEOUT");
        rules.duration("DRAIN_TIMEOUT");
        rules.bool("CAPTURE_ENABLED");
        rules.size("CAPTURE_BODY_BYTES", MAX_BODY_OR_BATCH_BYTES, UPLOAD_FIT);
        rules.sizeAtLeast("CAPTURE_QUEUE_BYTES", 1,
                "with 0 every capture is dropped; to capture nothing, set CAPTURE_ENABLED=false");
        rules.intRange("CAPTURE_BATCH_RECORDS", 1, 10_000);
        rules.size("CAPTURE_BATCH_BYTES", MAX_BODY_OR_BATCH_BYTES, UPLOAD_FIT);
        rules.duration("CAPTURE_BATCH_DELAY");
        rules.intRange("CAPTURE_MAX_UNACKED_BATCHES", 1, 1024);
        rules.duration("FLUSH_TIMEOUT");
        rules.duration("DROP_LOG_INTERVAL");
        TlsEnv.check(rules);
        return rules.problems();
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
