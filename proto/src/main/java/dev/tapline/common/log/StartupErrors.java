package dev.tapline.common.log;

import java.util.List;

import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Level;

import dev.tapline.common.config.ConfigProblem;

/** Prints configuration problems found before logging is set up, one JSON line each, in the app's shape. */
public final class StartupErrors {
    private StartupErrors() {
    }

    public static void print(LogShape shape, List<ConfigProblem> problems) {
        ManualJsonFormatter formatter = new ManualJsonFormatter(shape);
        for (ConfigProblem p : problems) {
            ExtLogRecord record = new ExtLogRecord(Level.ERROR, p.describe(), StartupErrors.class.getName());
            record.setParameters(new Object[] {
                    LogFields.of("variable", p.variable(), "value", p.value() == null ? "" : p.value(), "allowed", p.allowed()) });
            System.err.print(formatter.format(record));
        }
        System.err.flush();
    }

    /** Prints one ERROR line per message, with no fields. */
    public static void printMessages(LogShape shape, List<String> messages) {
        ManualJsonFormatter formatter = new ManualJsonFormatter(shape);
        for (String message : messages) {
            System.err.print(formatter.format(new ExtLogRecord(Level.ERROR, message, StartupErrors.class.getName())));
        }
        System.err.flush();
    }
}
