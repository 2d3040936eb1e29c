package dev.tapline.forwarder.store.sqlite;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.tapline.common.log.LogFields;
import dev.tapline.forwarder.config.ForwarderConfig;
import dev.tapline.forwarder.store.CaptureReader;
import dev.tapline.forwarder.store.CaptureSink;
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
 */
@Singleton
public class StoreBeans {
    private static final Logger LOG = Logger.getLogger(StoreBeans.class);
    private static final int READ_CONNECTIONS = 4;

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
        return new SqliteCaptureSink(database);
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
    @Typed({ CaptureReader.class, SqliteCaptureReader.class })
    SqliteCaptureReader reader(SqliteDatabase database) {
        return new SqliteCaptureReader(database, READ_CONNECTIONS);
    }

    @Produces
    @Singleton
    TrafficStats trafficStats(SqliteCaptureReader reader) {
        return new SqliteTrafficStats(reader);
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
        return new StoreWriter(sink, status, config.store().writerQueueBatches(), config.store().groupCommitRecords(),
                config.store().groupCommitLinger());
    }

    void open(@Observes StartupEvent event, StoreWriter writer, SqliteCaptureReader reader) {
        // injecting them creates them: the store is opened now, not at the first upload
    }

    void close(@Observes @Priority(20) ShutdownEvent event, StoreWriter writer, SqliteCaptureSink sink, SqliteCaptureReader reader) {
        writer.close();
        sink.close();
        reader.close();
    }
}
