package dev.tapline.forwarder.api;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import dev.tapline.forwarder.auth.ApiAccess;
import dev.tapline.forwarder.config.ForwarderConfig;
import dev.tapline.forwarder.config.ForwarderSettings;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;

/**
 * The read API's {@link ApiAccess}, made once, and its start line, logged once at start (a plain StartupEvent:
 * Quarkus fires HttpServerStart asynchronously, where a synchronous observer never sees it).
 */
@Singleton
public class ApiAccessBeans {
    private static final Logger LOG = Logger.getLogger("dev.tapline.forwarder");

    @Produces
    @Singleton
    ApiAccess apiAccess(ForwarderConfig config) {
        return ApiAccess.of(config.apiToken());
    }

    void announce(@Observes StartupEvent start, ApiAccess access) {
        String line = access.startLine(port());
        if (access.mode() == ApiAccess.Mode.OPEN) {
            LOG.warn(line);
        } else if (line != null) {
            LOG.info(line);
        }
    }

    /**
     * HTTP_PORT as configured: its key always has a value, the variable's or the default its declaration feeds
     * (ForwarderConfigSources). In tests the test port, which may be 0 for "any".
     */
    private static int port() {
        String key = LaunchMode.current() == LaunchMode.TEST ? "quarkus.http.test-port"
                : ForwarderSettings.HTTP_PORT.setting().key();
        return ConfigProvider.getConfig().getValue(key, Integer.class);
    }
}
