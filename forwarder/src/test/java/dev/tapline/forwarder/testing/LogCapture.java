package dev.tapline.forwarder.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;

import dev.tapline.common.log.LogFields;

/** Records what one logger writes while a test runs: level, formatted message and structured fields of each line. */
public final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    // an ExtHandler: plain JUL handlers get a copy of the record without its parameters, so without LogFields
    private final ExtHandler handler = new ExtHandler() {
        @Override
        protected void doPublish(ExtLogRecord record) {
            StringBuilder line = new StringBuilder(record.getLevel().getName()).append(' ')
                    .append(record.getFormattedMessage());
            if (record.getParameters() != null) {
                for (Object p : record.getParameters()) {
                    if (p instanceof LogFields fields) {
                        line.append(" | ").append(fields);
                    }
                }
            }
            lines.add(line.toString());
        }
    };

    private LogCapture(String loggerName) {
        logger = Logger.getLogger(loggerName);
        handler.setLevel(Level.ALL);
        logger.addHandler(handler);
    }

    public static LogCapture of(Class<?> loggerClass) {
        return new LogCapture(loggerClass.getName());
    }

    public static LogCapture of(String loggerName) {
        return new LogCapture(loggerName);
    }

    /** "LEVEL message" per line, in order, with " | key=value ..." when the line has fields. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }
}
