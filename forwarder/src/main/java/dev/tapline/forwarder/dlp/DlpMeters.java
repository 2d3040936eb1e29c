package dev.tapline.forwarder.dlp;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.tapline.forwarder.ingest.CaptureRedaction;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * {@code forwarder.dlp.redactions}: values replaced by DLP, read from the redaction in use at each scrape (zero
 * without DLP). Quarkus binds every {@link MeterBinder} bean at start.
 */
@Singleton
public class DlpMeters implements MeterBinder {
    private final CaptureRedaction redaction;

    @Inject
    public DlpMeters(CaptureRedaction redaction) {
        this.redaction = redaction;
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        FunctionCounter.builder("forwarder.dlp.redactions", redaction, CaptureRedaction::redactions)
                .description("Values replaced by DLP before storing").register(meters);
    }
}
