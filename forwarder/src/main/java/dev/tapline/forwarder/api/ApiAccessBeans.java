package dev.tapline.forwarder.api;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import dev.tapline.forwarder.auth.ApiAccess;
import dev.tapline.forwarder.config.ForwarderConfig;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.vertx.http.HttpServerStart;

/**
 * The read API's {@link ApiAccess}, made once, and its start line: logged when the HTTP server is up, so the
 * logged URL answers as soon as it is read.
 */
@Singleton
public class ApiAccessBeans {
    private static final Logger LOG = Logger.getLogger("dev.tapline.forwarder");

    @Produces
    @Singleton
    ApiAccess apiAccess(ForwarderConfig config) {
        return ApiAccess.of(config.apiToken());
    }

    void announce(@Observes HttpServerStart start, ApiAccess access) {
        String line = access.startLine(port(start.options().getPort()));
        if (access.mode() == ApiAccess.Mode.OPEN) {
            LOG.warn(line);
        } else if (line != null) {
            LOG.info(line);
        }
    }

    /** The port asked for, or the one the server took when port 0 was asked (tests). */
    private static int port(int asked) {
        if (asked > 0) {
            return asked;
        }
        String key = LaunchMode.current() == LaunchMode.TEST ? "quarkus.http.test-port" : "quarkus.http.port";
        return ConfigProvider.getConfig().getOptionalValue(key, Integer.class).orElse(asked);
    }
}
