package dev.tapline.forwarder.config;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.spi.ConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSourceProvider;

import dev.tapline.common.config.SettingsConfigSources;

/**
 * Feeds the keys of {@link ForwarderSettings} from their variables and defaults, and the defaults of the tuning knobs
 * ({@link ForwarderTuning}) (see META-INF/services), with the heartbeat interval derived from REAP_AFTER when
 * HEARTBEAT_INTERVAL is unset.
 */
public final class ForwarderConfigSources implements ConfigSourceProvider {
    @Override
    public Iterable<ConfigSource> getConfigSources(ClassLoader forClassLoader) {
        return of(System.getenv());
    }

    static List<ConfigSource> of(Map<String, String> env) {
        Map<String, String> values = SettingsConfigSources.fromEnv(ForwarderSettings.ALL, env);
        String heartbeat = ForwarderEnv.heartbeatInterval(env);
        if (heartbeat != null) {
            values.put(ForwarderSettings.HEARTBEAT_INTERVAL.setting().key(), heartbeat);
        }
        Map<String, String> defaults = SettingsConfigSources.defaults(ForwarderSettings.ALL);
        defaults.putAll(ForwarderTuning.defaults());
        return SettingsConfigSources.of("forwarder", values, defaults);
    }
}
