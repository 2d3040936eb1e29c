package dev.tapline.forwarder.store;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.tapline.common.config.GoDuration;
import dev.tapline.common.log.LogFields;
import dev.tapline.forwarder.config.ForwarderConfig;
import dev.tapline.forwarder.config.KafkaConfig;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * Starts a retention pass every {@code forwarder.store.retention-interval}; a pass is a chain of small
 * {@link Retention#step() steps}, each queued on the writer thread behind the writes waiting there, so deleting
 * a large backlog never holds the writes up for long. Binds its meter,
 * {@code forwarder.store.retention.deleted} (captures deleted by retention).
 */
@Singleton
public class RetentionScheduler implements MeterBinder {
    private static final Logger LOG = Logger.getLogger(RetentionScheduler.class);

    @Inject
    ForwarderConfig config;
    @Inject
    KafkaConfig kafka;
    // asked for only when this forwarder has a store: an ingest-only node opens none
    @Inject
    Instance<StoreWriter> writers;
    @Inject
    Instance<RetentionTarget> targets;
    @Inject
    Clock clock;

    private StoreWriter writer;

    private final AtomicBoolean passRunning = new AtomicBoolean();
    private final LongAdder deleted = new LongAdder();
    private Retention retention;

    void start(@Observes StartupEvent event, Vertx vertx) {
        if (!kafka.storesCaptures()) {
            return;
        }
        writer = writers.get();
        retention = new Retention(targets.get(), clock, config.retentionAge(), config.retentionBytes().asLongValue(),
                config.store().retentionChunk());
        if (retention.enabled()) {
            vertx.setPeriodic(config.store().retentionInterval().toMillis(), id -> startPass());
        }
    }

    /** Queues a pass unless one is still going. */
    public void startPass() {
        if (passRunning.compareAndSet(false, true)) {
            writer.submitMaintenance(() -> step(new Retention.Step(0, 0, true)));
        }
    }

    private void step(Retention.Step soFar) {
        Retention.Step total;
        try {
            total = soFar.plus(retention.step());
        } catch (RuntimeException e) {
            passRunning.set(false);
            throw e;
        }
        deleted.add(total.byAge() + total.bySize() - soFar.byAge() - soFar.bySize());
        if (total.more()) {
            writer.submitMaintenance(() -> step(total));
            return;
        }
        passRunning.set(false);
        if (total.byAge() + total.bySize() > 0) {
            LOG.infof("Retention deleted %d captures older than %s and %d beyond %s", total.byAge(),
                    GoDuration.format(config.retentionAge()), total.bySize(), config.retentionBytes().asLongValue() + " bytes",
                    LogFields.of("byAge", total.byAge(), "bySize", total.bySize()));
        }
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        FunctionCounter.builder("forwarder.store.retention.deleted", deleted, LongAdder::sum)
                .description("Captures deleted by retention").register(meters);
    }
}
