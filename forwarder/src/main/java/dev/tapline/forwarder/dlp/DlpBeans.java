package dev.tapline.forwarder.dlp;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.tapline.common.log.LogFields;
import dev.tapline.forwarder.config.ForwarderConfig;
import dev.tapline.forwarder.ingest.CaptureRedaction;

/**
 * Chooses what ingest applies before storing: DLP with the rules of DLP_CONFIG when WITH_DLP=true, nothing
 * otherwise. Bad rules stop the start (ForwarderMain already refuses them before Quarkus starts; this covers the
 * other ways in, such as tests and dev mode).
 */
@Singleton
public class DlpBeans {
    private static final Logger LOG = Logger.getLogger(DlpBeans.class);

    @Produces
    @Singleton
    CaptureRedaction redaction(ForwarderConfig config) {
        CaptureRedaction redaction = CaptureRedaction.NONE;
        if (config.withDlp()) {
            try {
                redaction = DlpCaptureRedaction.load(config.dlpConfig());
            } catch (DlpConfigException e) {
                LOG.errorf("DLP_CONFIG=\"%s\" is not valid: %s", config.dlpConfig(), e.getMessage(),
                        LogFields.of("variable", "DLP_CONFIG", "value", config.dlpConfig()));
                throw e;
            }
        }
        return redaction;
    }
}
