package dev.tapline.forwarder;

import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import dev.tapline.common.config.BuildInfo;
import dev.tapline.common.config.ExitZeroOnTerm;
import dev.tapline.common.config.GoDuration;
import dev.tapline.forwarder.config.ForwarderConfig;
import dev.tapline.forwarder.config.ForwarderTuning;
import dev.tapline.forwarder.ingest.CaptureRedaction;
import io.quarkus.runtime.StartupEvent;

/** The manual's forwarder start lines, in its order and words. */
public class StartupLog {
    private static final Logger LOG = Logger.getLogger("dev.tapline.forwarder");

    @Inject
    ForwarderConfig config;
    @Inject
    BuildInfo build;
    @Inject
    CaptureRedaction redaction;

    void onStart(@Observes @Priority(1) StartupEvent event) {
        List<String> tuning = ForwarderTuning.problems(ConfigProvider.getConfig());
        if (!tuning.isEmpty()) {
            tuning.forEach(problem -> LOG.errorf("Invalid setting: %s", problem));
            throw new IllegalStateException("invalid forwarder settings: " + String.join("; ", tuning));
        }
        LOG.infof("SERVICE_PORT: %d", config.servicePort());
        LOG.infof("START Forwarder %s compiled at %s", build.version(), build.buildTime());
        LOG.info(redaction.describe());
        if (config.telemetryInterval().isZero() || config.appPodNamespace().isEmpty()) {
            LOG.info("Telemetry reporting turned off because interval is zero or app pod namespace is empty");
        } else {
            LOG.infof("Telemetry reporting every %s", GoDuration.format(config.telemetryInterval()));
        }
        LOG.infof("Starting reaper for proxies that haven't checked in after %s", GoDuration.format(config.reapAfter()));
        LOG.infof("Starting gRPC listener on port 0.0.0.0:%d", config.servicePort());
        ExitZeroOnTerm.install();
    }
}
