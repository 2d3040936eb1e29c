package dev.tapline.goproxy.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.Logger;

/**
 * The records one class logs while open, unformatted: an ExtHandler sees each with its LogFields parameter, so a
 * test can check the message and the fields apart.
 */
public final class LogRecords implements AutoCloseable {
    private final List<ExtLogRecord> records = new CopyOnWriteArrayList<>();
    private final Logger logger;
    private final ExtHandler handler = new ExtHandler() {
        @Override
        protected void doPublish(ExtLogRecord record) {
            records.add(record);
        }
    };

    public LogRecords(Class<?> source) {
        logger = LogContext.getLogContext().getLogger(source.getName());
        logger.addHandler(handler);
    }

    /** The records so far, oldest first; the list keeps growing while open. */
    public List<ExtLogRecord> records() {
        return records;
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }
}
