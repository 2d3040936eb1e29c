package dev.tapline.forwarder.ingest;

import java.time.Clock;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.tapline.forwarder.config.ForwarderConfig;
import dev.tapline.forwarder.registry.ProxyRegistry;
import dev.tapline.forwarder.store.CaptureDestination;
import io.quarkus.runtime.ShutdownEvent;

/** The ingest path, handed to CDI: validation, DLP (through {@link CaptureRedaction}), and the preparing pool. */
@Singleton
public class IngestBeans {

    @Produces
    @Singleton
    Ingest ingest(ForwarderConfig config, CaptureRedaction redaction, ProxyRegistry registry, Clock clock,
            CaptureDestination writer, IngestMeters metrics) {
        BatchPreparer preparer = new BatchPreparer(CaptureValidator.of(config.limits()), redaction, registry,
                config.clusterName(), clock);
        return new Ingest(preparer, writer, metrics, config.upload().prepareThreads());
    }

    // before the store closes (StoreBeans): no batch is handed to a writer that has stopped
    void close(@Observes @Priority(10) ShutdownEvent event, Ingest ingest) {
        ingest.close();
    }
}
