package dev.tapline.goproxy.logging;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

import dev.tapline.common.log.LogShape;
import dev.tapline.common.log.ManualJsonInstaller;
import io.quarkus.logging.LoggingFilter;

/** Makes every console line, Quarkus's own included, a JSON line in the manual's goproxy shape. */
@LoggingFilter(name = "goproxy-log-shape")
public final class GoproxyLogShape implements Filter {
    private final ManualJsonInstaller installer = new ManualJsonInstaller(LogShape.GOPROXY);

    @Override
    public boolean isLoggable(LogRecord record) {
        installer.ensureInstalled();
        return true;
    }
}
