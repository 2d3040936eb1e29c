package dev.tapline.goproxy.config;

import org.eclipse.microprofile.config.spi.ConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSourceProvider;

import dev.tapline.common.config.SettingsConfigSources;

/** Feeds the keys of {@link GoproxySettings} from their variables and defaults (see META-INF/services). */
public final class GoproxyConfigSources implements ConfigSourceProvider {
    @Override
    public Iterable<ConfigSource> getConfigSources(ClassLoader forClassLoader) {
        return SettingsConfigSources.of("goproxy", SettingsConfigSources.fromEnv(GoproxySettings.ALL, System.getenv()),
                GoproxySettings.ALL);
    }
}
