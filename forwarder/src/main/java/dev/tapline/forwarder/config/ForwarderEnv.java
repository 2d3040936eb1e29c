package dev.tapline.forwarder.config;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.tapline.common.config.ConfigProblem;
import dev.tapline.common.config.EnvRules;
import dev.tapline.forwarder.dlp.DlpConfigException;
import dev.tapline.forwarder.dlp.DlpRulesLoader;

/** The forwarder's environment variables and what each accepts; checked before Quarkus starts. */
public final class ForwarderEnv {
    private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7e]{1,4096}");
    private static final Duration MAX_REAP_AFTER = Duration.ofDays(24);

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
        if (rules.problems().stream().noneMatch(p -> p.variable().equals("REAP_AFTER")
                || p.variable().equals("HEARTBEAT_INTERVAL"))) {
            intervals(rules);
        }
        for (String name : List.of("FORWARDER_TOKEN", "API_TOKEN")) {
            String v = rules.get(name);
            if (v != null && !TOKEN.matcher(v).matches()) {
                // shown masked: a secret does not belong in a log line
                rules.problem(name, "(" + v.length() + " characters)", "visible ASCII characters without spaces");
            }
        }
        dataDir(rules);
        dlp(rules);
        KafkaEnv.check(rules);
        return rules.problems();
    }

    /** REAP_AFTER is sent to proxies in milliseconds (uint32) and must leave room for HEARTBEAT_INTERVAL. */
    private static void intervals(EnvRules rules) {
        Duration reapAfter = parse(rules.get("REAP_AFTER"), Duration.ofSeconds(45));
        Duration heartbeat = parse(rules.get("HEARTBEAT_INTERVAL"), Duration.ofSeconds(15));
        if (reapAfter.isZero() || reapAfter.compareTo(MAX_REAP_AFTER) > 0) {
            rules.problem("REAP_AFTER", rules.get("REAP_AFTER"), "a duration from 1ms to 24d such as 45s");
        } else if (heartbeat.isZero() || heartbeat.compareTo(reapAfter) >= 0) {
            rules.problem("HEARTBEAT_INTERVAL", rules.get("HEARTBEAT_INTERVAL") == null ? "15s"
                    : rules.get("HEARTBEAT_INTERVAL"), "a duration above 0 and shorter than REAP_AFTER ("
                    + (rules.get("REAP_AFTER") == null ? "45s" : rules.get("REAP_AFTER")) + "), such as a third of it");
        }
    }

    private static void dataDir(EnvRules rules) {
        String v = rules.get("DATA_DIR");
        if (v == null) {
            return;
        }
        try {
            Path dir = Path.of(v);
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                rules.problem("DATA_DIR", v, "a directory (this is a file)");
            }
        } catch (InvalidPathException e) {
            rules.problem("DATA_DIR", v, "a directory path");
        }
    }

    /** Loads the DLP rules once here, so that a bad rules file stops the start with one line. */
    private static void dlp(EnvRules rules) {
        if (!"true".equalsIgnoreCase(rules.get("WITH_DLP"))) {
            return;
        }
        String config = rules.get("DLP_CONFIG") == null ? DlpRulesLoader.STANDARD : rules.get("DLP_CONFIG");
        try {
            DlpRulesLoader.load(config);
        } catch (DlpConfigException e) {
            rules.problem("DLP_CONFIG", config, "\"standard\" or the path of a valid JSON rules file; " + e.getMessage());
        }
    }

    /** The forms EnvRules accepts: {@code 45}, {@code 45s}, {@code 500ms}, {@code 5m}, {@code 1h}, {@code 7d}, ISO-8601. */
    static Duration parse(String v, Duration unset) {
        Duration d = v == null ? null : EnvRules.durationOf(v);
        return d == null ? unset : d;
    }
}
