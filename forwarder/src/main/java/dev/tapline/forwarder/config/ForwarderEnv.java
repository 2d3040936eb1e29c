package dev.tapline.forwarder.config;

import java.util.List;
import java.util.Map;

import dev.tapline.common.config.ConfigProblem;
import dev.tapline.common.config.EnvRules;

/** The forwarder's environment variables and what each accepts; checked before Quarkus starts. */
public final class ForwarderEnv {
    private ForwarderEnv() {
    }

    public static List<ConfigProblem> check(Map<String, String> env) {
        EnvRules rules = new EnvRules(env);
        rules.port("SERVICE_PORT", false);
        rules.port("HTTP_PORT", false);
        rules.oneOf("LOG_LEVEL", "trace", "debug", "info", "warn", "warning", "error");
        rules.size("RETENTION_BYTES");
        rules.duration("RETENTION_AGE");
        rules.duration("REAP_AFTER");
        rules.duration("HEARTBEAT_INTERVAL");
        rules.bool("WITH_DLP");
        rules.duration("TELEMETRY_INTERVAL");
        return rules.problems();
    }
}
