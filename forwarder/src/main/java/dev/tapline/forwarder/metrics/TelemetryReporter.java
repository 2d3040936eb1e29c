package dev.tapline.forwarder.metrics;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.tapline.common.log.LogFields;
import dev.tapline.forwarder.config.ForwarderConfig;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * With TELEMETRY_INTERVAL &gt; 0 and APP_POD_NAMESPACE set, logs the counters every interval as one line whose
 * fields a log pipeline can chart without scraping {@code /q/metrics}.
 */
@Singleton
public class TelemetryReporter {
    private static final Logger LOG = Logger.getLogger("dev.tapline.forwarder.telemetry");

    @Inject
    ForwarderConfig config;
    @Inject
    ForwarderMetrics metrics;

    void start(@Observes StartupEvent event, Vertx vertx) {
        if (!config.telemetryInterval().isZero() && config.appPodNamespace().isPresent()) {
            vertx.setPeriodic(config.telemetryInterval().toMillis(), id -> report());
        }
    }

    /** Logs one telemetry line now. */
    public void report() {
        ForwarderMetrics.Snapshot s = metrics.snapshot();
        LOG.infof("Telemetry", LogFields.of("namespace", config.appPodNamespace().orElse(""),
                "cluster", config.clusterName(), "proxies", s.proxies(), "registrations", s.registrations(),
                "reaped", s.reaped(), "uploadStreams", s.streams(), "capturesReceived", s.received(),
                "capturesStored", s.stored(), "capturesDuplicate", s.duplicates(), "capturesRejected", s.rejected(),
                "bytes", s.bytes(), "redactions", s.redactions()));
    }
}
