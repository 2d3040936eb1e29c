package dev.tapline.common.config;

import java.time.Duration;

/** Durations written the way the manual's Go programs print them: 45s, 1m30s, 2h0m0s, 500ms, 3.538369ms, 114ns. */
public final class GoDuration {
    private GoDuration() {
    }

    /**
     * Formats nanoseconds as Go's time.Duration.String() does: 114ns, 1.5µs, 3.538369ms, 1.25s, 1m30s.
     */
    public static String formatNanos(long nanos) {
        if (nanos == 0) {
            return "0s";
        }
        if (nanos < 0) {
            return "-" + formatNanos(-nanos);
        }
        if (nanos < 1_000) {
            return nanos + "ns";
        }
        if (nanos < 1_000_000) {
            return fraction(nanos, 1_000) + "\u00b5s";
        }
        if (nanos < 1_000_000_000) {
            return fraction(nanos, 1_000_000) + "ms";
        }
        return format(Duration.ofNanos(nanos));
    }

    private static String fraction(long value, long unit) {
        long whole = value / unit;
        long rest = value % unit;
        if (rest == 0) {
            return Long.toString(whole);
        }
        String digits = Long.toString(rest + unit).substring(1).replaceAll("0+$", "");
        return whole + "." + digits;
    }

    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        if (d.compareTo(Duration.ofSeconds(1)) < 0) {
            return formatNanos(d.toNanos());
        }
        long h = d.toHours();
        long m = d.toMinutesPart();
        long s = d.toSecondsPart();
        int nanos = d.toNanosPart();
        String seconds = nanos == 0 ? s + "s" : fraction(s * 1_000_000_000L + nanos, 1_000_000_000) + "s";
        if (h > 0) {
            return h + "h" + m + "m" + seconds;
        }
        return m > 0 ? m + "m" + seconds : seconds;
    }
}
