package dev.tapline.forwarder.store.sqlite;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.tapline.common.log.LogFields;
import dev.tapline.forwarder.config.ForwarderConfig;
import dev.tapline.forwarder.config.KafkaConfig;
import dev.tapline.forwarder.store.CaptureReader;
import dev.tapline.forwarder.store.CaptureSink;
import dev.tapline.forwarder.store.NoStore;
import dev.tapline.forwarder.store.RetentionTarget;
import dev.tapline.forwarder.store.StoreException;
import dev.tapline.forwarder.store.StoreStatus;
import dev.tapline.forwarder.store.StoreWriter;
import dev.tapline.forwarder.store.TrafficStats;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The embedded store, handed to CDI: the SQLite database under DATA_DIR, its sink (behind {@link CaptureSink}, which
 * a streaming sink will replace), its reader, and the writer thread. Opened at start, so an unusable DATA_DIR
 * stops the start with one clear line; closed in order at shutdown (writer drained first, then the files).
 * <p>
 * An ingest-only forwarder ({@link KafkaConfig#storesCaptures()} false) opens and creates nothing: its
 * {@link CaptureReader} and {@link TrafficStats} are a {@link NoStore}, which answers where the captures go, and
 * nobody asks for the other beans (each user asks through {@link Instance} only when the store is on).
 */
@Singleton
public class StoreBeans {
    private static final Logger LOG = Logger.getLogger(StoreBeans.class);
    private static final int READ_CONNECTIONS = 4;

    // what was made, to close at shutdown: asking CDI for a bean there would open a store that was never used
    private volatile StoreWriter madeWriter;
    private volatile SqliteCaptureSink madeSink;
    private volatile SqliteCaptureReader madeReader;

    @Produces
    @Singleton
    SqliteDatabase database(ForwarderConfig config) {
        try {
            return SqliteDatabase.open(config.dataDir());
        } catch (StoreException e) {
            LOG.errorf("DATA_DIR=\"%s\" cannot hold the store: %s", config.dataDir(), e.getMessage(),
                    LogFields.of("variable", "DATA_DIR", "value", config.dataDir().toString()));
            throw e;
        }
    }

    @Produces
    @Singleton
    @Typed(SqliteCaptureSink.class)
    SqliteCaptureSink sqliteSink(SqliteDatabase database) {
        return madeSink = new SqliteCaptureSink(database);
    }

    @Produces
    @Singleton
    CaptureSink captureSink(SqliteCaptureSink sink) {
        return sink;
    }

    @Produces
    @Singleton
    RetentionTarget retentionTarget(SqliteCaptureSink sink) {
        return sink;
    }

    @Produces
    @Singleton
    @Typed(SqliteCaptureReader.class)
    SqliteCaptureReader sqliteReader(SqliteDatabase database) {
        return madeReader = new SqliteCaptureReader(database, READ_CONNECTIONS);
    }

    @Produces
    @Singleton
    @Typed(NoStore.class)
    NoStore noStore(KafkaConfig kafka) {
        return new NoStore(kafka.topic());
    }

    @Produces
    @Singleton
    CaptureReader reader(KafkaConfig kafka, Instance<SqliteCaptureReader> store, Instance<NoStore> none) {
        return kafka.storesCaptures() ? store.get() : none.get();
    }

    @Produces
    @Singleton
    TrafficStats trafficStats(KafkaConfig kafka, Instance<SqliteCaptureReader> store, Instance<NoStore> none) {
        return kafka.storesCaptures() ? new SqliteTrafficStats(store.get()) : none.get();
    }

    @Produces
    @Singleton
    StoreStatus status() {
        return new StoreStatus();
    }

    @Produces
    @Singleton
    @Typed(StoreWriter.class) // the ingest's CaptureDestination is sink.SinkBeans's choice (SINK): this, Kafka or both
    StoreWriter writer(CaptureSink sink, StoreStatus status, ForwarderConfig config) {
        return madeWriter = new StoreWriter(sink, status, config.store().writerQueueBatches(),
                config.store().groupCommitRecords(), config.store().groupCommitLinger());
    }

    void open(@Observes StartupEvent event, KafkaConfig kafka, Instance<StoreWriter> writer,
            Instance<SqliteCaptureReader> reader) {
        if (kafka.storesCaptures()) {
            // asking creates them: the store is opened now, not at the first upload
            writer.get();
            reader.get();
        }
    }

    void close(@Observes @Priority(20) ShutdownEvent event) {
        if (madeWriter != null) {
            madeWriter.close();
        }
        if (madeSink != null) {
            madeSink.close();
        }
        if (madeReader != null) {
            madeReader.close();
        }
    }
}
