package dev.tapline.common.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.common.MapBackedConfigSource;

/**
 * The declared settings as config sources, so that application.properties does not repeat each variable and its
 * default. Two sources, because a profile override in application.properties ({@code %test.goproxy.in-port=0})
 * must win over a default but lose to a variable the operator set:
 * <ul>
 * <li>the variables that are set, above application.properties (250) and below Quarkus's own environment source
 * (300), so that {@code GOPROXY_IN_PORT} still wins as it did;</li>
 * <li>the defaults, below application.properties.</li>
 * </ul>
 */
public final class SettingsConfigSources {
    public static final int ENV_ORDINAL = 275;
    public static final int DEFAULTS_ORDINAL = 200;

    private SettingsConfigSources() {
    }

    /** Key to value for every setting whose variable is set and not blank (trimmed, as the checks read it). */
    public static Map<String, String> fromEnv(List<Setting> settings, Map<String, String> env) {
        EnvRules rules = new EnvRules(env);
        Map<String, String> values = new LinkedHashMap<>();
        for (Setting s : settings) {
            String v = rules.get(s.env());
            if (v != null) {
                values.put(s.key(), v);
            }
        }
        return values;
    }

    /** Key to default value, for every setting that has one. */
    public static Map<String, String> defaults(List<Setting> settings) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Setting s : settings) {
            if (s.defaultValue() != null) {
                values.put(s.key(), s.defaultValue());
            }
        }
        return values;
    }

    /** Key to default value of each tuning knob. */
    public static Map<String, String> tuningDefaults(List<Tuning> knobs) {
        Map<String, String> values = new LinkedHashMap<>();
        knobs.forEach(t -> values.put(t.key(), t.defaultValue()));
        return values;
    }

    /** The two sources of {@code app}'s settings: {@code fromEnv} as set by the operator, and the defaults. */
    public static List<ConfigSource> of(String app, Map<String, String> fromEnv, List<Setting> settings) {
        return of(app, fromEnv, defaults(settings));
    }

    /** As {@link #of(String, Map, List)}, with the defaults given (the settings' and the tuning knobs'). */
    public static List<ConfigSource> of(String app, Map<String, String> fromEnv, Map<String, String> defaults) {
        return List.of(new MapBackedConfigSource(app + " settings from the environment", fromEnv, ENV_ORDINAL) {
        }, new MapBackedConfigSource(app + " settings' defaults", defaults, DEFAULTS_ORDINAL) {
        });
    }
}
