package dev.tapline.forwarder.logging;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

import dev.tapline.common.log.LogShape;
import dev.tapline.common.log.ManualJsonInstaller;
import io.quarkus.logging.LoggingFilter;

/** Makes every console line, Quarkus's own included, a JSON line in the manual's forwarder shape. */
@LoggingFilter(name = "forwarder-log-shape")
public final class ForwarderLogShape implements Filter {
    private final ManualJsonInstaller installer = new ManualJsonInstaller(LogShape.FORWARDER);

    @Override
    public boolean isLoggable(LogRecord record) {
        installer.ensureInstalled();
        return true;
    }
}
