package dev.tapline.forwarder.metrics;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The forwarder's meters read back by name, for the telemetry line and tests. Each component binds its own meters
 * (a Micrometer {@code MeterBinder} beside the code that counts), so this room knows names, not components. On
 * {@code /q/metrics} they are in Prometheus form (dot.case names show up as snake_case, counters with
 * {@code _total}):
 *
 * <pre>
 * forwarder.proxies.registered       gauge    proxies registered and not reaped        registry.RegistryMeters
 * forwarder.registrations            counter  Register calls                           registry.RegistryMeters
 * forwarder.proxies.reaped           counter  proxies evicted for not checking in      registry.RegistryMeters
 * forwarder.upload.streams           gauge    Upload streams open                      grpc.UploadMeters
 * forwarder.upload.batches           counter  batches received                         grpc.UploadMeters
 * forwarder.captures.received        counter  records received                         grpc.UploadMeters
 * forwarder.captures.bytes           counter  bytes of records received               grpc.UploadMeters
 * forwarder.captures.stored          counter  records newly stored                     ingest.IngestMeters
 * forwarder.captures.duplicate       counter  records already stored (resends)         ingest.IngestMeters
 * forwarder.captures.rejected        counter  records refused (invalid)                ingest.IngestMeters
 * forwarder.dlp.redactions           counter  values replaced by DLP                   dlp.DlpMeters
 * forwarder.store.size.bytes         gauge    bytes the stored captures take up        store.sqlite.StoreSizeMeter
 * forwarder.store.retention.deleted  counter  captures deleted by retention            store.RetentionScheduler
 * </pre>
 */
@Singleton
public class ForwarderMetrics {
    private final MeterRegistry meters;

    @Inject
    public ForwarderMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    /** The meters as they are now (a meter not bound reads 0). */
    public Snapshot snapshot() {
        return new Snapshot((int) value("forwarder.proxies.registered"), count("forwarder.registrations"),
                count("forwarder.proxies.reaped"), (int) value("forwarder.upload.streams"),
                count("forwarder.upload.batches"), count("forwarder.captures.received"),
                count("forwarder.captures.stored"), count("forwarder.captures.duplicate"),
                count("forwarder.captures.rejected"), count("forwarder.captures.bytes"),
                count("forwarder.dlp.redactions"));
    }

    private long count(String name) {
        return (long) value(name);
    }

    private double value(String name) {
        Meter meter = meters.find(name).meter();
        if (meter == null) {
            return 0;
        }
        for (Measurement m : meter.measure()) {
            return m.getValue();
        }
        return 0;
    }

    /** A reading of the meters. */
    public record Snapshot(int proxies, long registrations, long reaped, int streams, long batches, long received,
            long stored, long duplicates, long rejected, long bytes, long redactions) {
    }
}
