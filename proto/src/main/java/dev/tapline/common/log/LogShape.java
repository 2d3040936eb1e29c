package dev.tapline.common.log;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.logging.Level;

import org.jboss.logmanager.Level.*;

/**
 * The two JSON line shapes of the manual.
 *
 * <pre>
 * forwarder: {"level":"info","msg":"SERVICE_PORT: 8888","time":"2020-12-13T14:18:30Z"}
 * goproxy:   {"info":"INFO","T":"2020-12-13T14:25:03.758Z","M":"START ... Network Proxy","version":"v0.2.2"}
 * </pre>
 * Extra fields always follow the three fixed keys, at the top level.
 */
public enum LogShape {
    /** logrus-like: lower-case level names, second precision, level/msg/time order. */
    FORWARDER("level", "msg", "time", false, DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")),
    /** zap-like: upper-case level under the key "info", millisecond precision, info/T/M order. */
    GOPROXY("info", "M", "T", true, DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'"));

    final String levelKey;
    final String messageKey;
    final String timeKey;
    final boolean upperCaseLevel;
    final DateTimeFormatter time;

    LogShape(String levelKey, String messageKey, String timeKey, boolean upperCaseLevel, DateTimeFormatter time) {
        this.levelKey = levelKey;
        this.messageKey = messageKey;
        this.timeKey = timeKey;
        this.upperCaseLevel = upperCaseLevel;
        this.time = time.withZone(ZoneOffset.UTC);
    }

    /** Level names as the Go loggers print them: debug/info/warning/error (logrus) or DEBUG/INFO/WARN/ERROR (zap). */
    String levelName(Level level) {
        int v = level.intValue();
        String name;
        if (v >= Level.SEVERE.intValue()) {
            name = v > org.jboss.logmanager.Level.ERROR.intValue() ? "fatal" : "error";
        } else if (v >= Level.WARNING.intValue()) {
            name = upperCaseLevel ? "warn" : "warning";
        } else if (v >= Level.INFO.intValue()) {
            name = "info";
        } else if (v >= org.jboss.logmanager.Level.DEBUG.intValue()) {
            name = "debug";
        } else {
            name = "trace";
        }
        return upperCaseLevel ? name.toUpperCase(Locale.ROOT) : name;
    }
}
