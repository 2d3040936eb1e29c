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

/**
 * The start-time check of the forwarder's environment variables (declared in {@link ForwarderSettings}). The DLP
 * rules file is checked by the dlp room, which loads it once (see ForwarderMain).
 */
public final class ForwarderEnv {
    private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7e]{1,4096}");
    private static final Duration MAX_REAP_AFTER = Duration.ofDays(24);
    private static final String REAP_AFTER = ForwarderSettings.REAP_AFTER.env();
    private static final String HEARTBEAT_INTERVAL = ForwarderSettings.HEARTBEAT_INTERVAL.env();

    private ForwarderEnv() {
    }

    /** Each declared setting's rule, then REAP_AFTER and HEARTBEAT_INTERVAL together. */
    public static List<ConfigProblem> check(Map<String, String> env) {
        EnvRules rules = new EnvRules(env);
        ForwarderSettings.ALL.forEach(setting -> setting.check(rules));
        if (rules.problems().stream().noneMatch(p -> p.variable().equals(REAP_AFTER)
                || p.variable().equals(HEARTBEAT_INTERVAL))) {
            intervals(rules);
        }
        KafkaEnv.check(rules);
        return rules.problems();
    }

    /**
     * The check-in interval the proxies are told: HEARTBEAT_INTERVAL, or derived from REAP_AFTER when it is unset
     * ({@link Heartbeat}); null when HEARTBEAT_INTERVAL is unset and REAP_AFTER too (the declared default holds).
     */
    public static String heartbeatInterval(Map<String, String> env) {
        EnvRules rules = new EnvRules(env);
        if (rules.get(HEARTBEAT_INTERVAL) != null) {
            return rules.get(HEARTBEAT_INTERVAL);
        }
        Duration reapAfter = rules.get(REAP_AFTER) == null ? null : EnvRules.durationOf(rules.get(REAP_AFTER));
        return reapAfter == null ? null : Heartbeat.derived(reapAfter).toString();
    }

    /** REAP_AFTER is sent to proxies in milliseconds (uint32) and must leave room for HEARTBEAT_INTERVAL. */
    private static void intervals(EnvRules rules) {
        String reapSetting = ForwarderSettings.REAP_AFTER.setting().defaultValue();
        String reapAfterText = rules.get(REAP_AFTER) == null ? reapSetting : rules.get(REAP_AFTER);
        Duration reapAfter = EnvRules.durationOf(reapAfterText);
        if (reapAfter.isZero() || reapAfter.compareTo(MAX_REAP_AFTER) > 0) {
            rules.problem(REAP_AFTER, rules.get(REAP_AFTER), "a duration from 1ms to 24d such as 45s");
            return;
        }
        String heartbeat = rules.get(HEARTBEAT_INTERVAL);
        if (heartbeat == null) {
            return; // derived from REAP_AFTER, shorter by construction
        }
        Duration interval = EnvRules.durationOf(heartbeat);
        if (interval.isZero() || interval.compareTo(reapAfter) >= 0) {
            rules.problem(HEARTBEAT_INTERVAL, heartbeat, "a duration above 0 and shorter than REAP_AFTER ("
                    + reapAfterText + "), such as a third of it");
        }
    }

    /** FORWARDER_TOKEN's and API_TOKEN's rule. */
    static void token(EnvRules rules, String variable) {
        String v = rules.get(variable);
        if (v != null && !TOKEN.matcher(v).matches()) {
            // shown masked: a secret does not belong in a log line
            rules.problem(variable, "(" + v.length() + " characters)", "visible ASCII characters without spaces");
        }
    }

    /** DATA_DIR's rule. */
    static void dataDir(EnvRules rules, String variable) {
        String v = rules.get(variable);
        if (v == null) {
            return;
        }
        try {
            Path dir = Path.of(v);
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                rules.problem(variable, v, "a directory (this is a file)");
            }
        } catch (InvalidPathException e) {
            rules.problem(variable, v, "a directory path");
        }
    }
}
