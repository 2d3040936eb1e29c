package dev.tapline.common.config;

import java.time.Duration;

/** Formats a duration as Go's time.Duration.String() does for whole units: 45s, 1m30s, 2h0m0s, 500ms. */
public final class GoDuration {
    private GoDuration() {
    }

    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        if (d.compareTo(Duration.ofSeconds(1)) < 0) {
            return d.toMillis() + "ms";
        }
        long h = d.toHours();
        long m = d.toMinutesPart();
        long s = d.toSecondsPart();
        int ms = d.toMillisPart();
        String seconds = ms == 0 ? s + "s" : String.format("%d.%03ds", s, ms).replaceAll("0+s$", "s");
        if (h > 0) {
            return h + "h" + m + "m" + seconds;
        }
        return m > 0 ? m + "m" + seconds : seconds;
    }
}
