package dev.tapline.common.log;

import java.util.logging.Handler;

import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.handlers.ConsoleHandler;

/**
 * Puts a {@link ManualJsonFormatter} on every console handler of the log context, once.
 *
 * <p>Quarkus 3.33's JSON formatter can neither write fields at the top level nor lower-case the level, and a
 * formatter set from a startup observer misses the first lines. So each app registers a Quarkus
 * {@code @LoggingFilter} on the console handler that calls {@link #ensureInstalled()} from
 * {@code isLoggable}: the filter runs before the handler formats its very first record (the buffered early
 * lines included), so every line is written in the manual's shape. After the first call this is one volatile
 * read.
 */
public final class ManualJsonInstaller {
    private final LogShape shape;
    private volatile boolean installed;

    public ManualJsonInstaller(LogShape shape) {
        this.shape = shape;
    }

    public void ensureInstalled() {
        if (installed) {
            return;
        }
        synchronized (this) {
            if (!installed) {
                ManualJsonFormatter formatter = new ManualJsonFormatter(shape);
                install(LogContext.getLogContext().getLogger("").getHandlers(), formatter);
                installed = true;
            }
        }
    }

    private static void install(Handler[] handlers, ManualJsonFormatter formatter) {
        for (Handler handler : handlers) {
            if (handler instanceof ConsoleHandler) {
                handler.setFormatter(formatter);
            }
            if (handler instanceof ExtHandler ext) {
                install(ext.getHandlers(), formatter);
            }
        }
    }
}
