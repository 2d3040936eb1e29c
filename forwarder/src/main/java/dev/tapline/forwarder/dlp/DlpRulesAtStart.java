package dev.tapline.forwarder.dlp;

import java.util.Map;
import java.util.Optional;

import dev.tapline.common.config.ConfigProblem;
import dev.tapline.common.config.EnvRules;
import dev.tapline.forwarder.config.ForwarderSettings;

/**
 * The DLP rules, loaded once: ForwarderMain loads them before Quarkus starts, so that a bad rules file stops the
 * start with one line naming DLP_CONFIG, and the redaction bean then takes the same rules instead of reading the
 * file again. Started another way (tests, dev mode), the bean loads them itself.
 */
public final class DlpRulesAtStart {
    private static String loadedFor;
    private static DlpRules loaded;

    private DlpRulesAtStart() {
    }

    /** Loads the rules WITH_DLP and DLP_CONFIG select; the problem when they cannot be loaded. */
    public static Optional<ConfigProblem> check(Map<String, String> env) {
        EnvRules rules = new EnvRules(env);
        if (!"true".equalsIgnoreCase(rules.get(ForwarderSettings.WITH_DLP.env()))) {
            return Optional.empty();
        }
        String config = rules.get(ForwarderSettings.DLP_CONFIG.env());
        String dlpConfig = config == null ? DlpRulesLoader.STANDARD : config;
        try {
            DlpRules dlpRules = DlpRulesLoader.load(dlpConfig);
            keep(dlpConfig, dlpRules);
            return Optional.empty();
        } catch (DlpConfigException e) {
            return Optional.of(new ConfigProblem(ForwarderSettings.DLP_CONFIG.env(), dlpConfig,
                    "\"standard\" or the path of a valid JSON rules file; " + e.getMessage()));
        }
    }

    private static synchronized void keep(String dlpConfig, DlpRules rules) {
        loadedFor = dlpConfig;
        loaded = rules;
    }

    /** The rules of {@code dlpConfig}: those loaded at start when it names them, else loaded now. */
    static synchronized DlpRules rules(String dlpConfig) {
        return dlpConfig.equals(loadedFor) ? loaded : DlpRulesLoader.load(dlpConfig);
    }
}
