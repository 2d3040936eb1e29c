package dev.tapline.forwarder.registry;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.tapline.common.log.LogFields;
import dev.tapline.forwarder.config.ForwarderConfig;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/** Evicts proxies that have not checked in for REAP_AFTER; checks every quarter of that time (at most 1 s). */
@Singleton
public class Reaper {
    private static final Logger LOG = Logger.getLogger(Reaper.class);

    @Inject
    ProxyRegistry registry;
    @Inject
    ForwarderConfig config;
    @Inject
    RegistryMeters meters;

    void start(@Observes StartupEvent event, Vertx vertx) {
        long period = Math.max(100, Math.min(1000, config.reapAfter().toMillis() / 4));
        vertx.setPeriodic(period, id -> reapNow());
    }

    public void reapNow() {
        for (ProxyRecord r : registry.reap(config.reapAfter())) {
            meters.reaped();
            LOG.infof("REAPED proxy ID %s: no check-in since %s", r.identity().getProxyId(), r.lastCheckIn(),
                    LogFields.of("proxyID", r.identity().getProxyId(), "appLabel", r.identity().getAppLabel()));
        }
    }
}
