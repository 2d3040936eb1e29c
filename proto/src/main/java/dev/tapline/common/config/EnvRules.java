package dev.tapline.common.config;

import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;

/**
 * Checks raw environment variables before Quarkus starts, so a bad value ends the process with one line that
 * names the variable, the value and what is allowed, instead of a conversion stack trace.
 *
 * <p>Durations and sizes are read by the Quarkus converters the typed config uses afterwards
 * ({@link DurationConverter}, {@link MemorySizeConverter}), so that what passes here is what the app reads: sizes
 * like {@code 65536}, {@code 64K}, {@code 64M} (powers of 1024); durations like {@code 45}, {@code 45s},
 * {@code 500ms}, {@code 5m}, {@code 1m30s}, {@code 1.5s}, {@code 7d}, {@code PT45S}. Only the bounds are ours. An
 * empty value counts as unset.
 */
public final class EnvRules {
    private static final MemorySizeConverter SIZES = new MemorySizeConverter();
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    private static final String SIZE_ALLOWED = "a size in bytes such as 65536, 64K, 64M or 1G";
    /** 100 years: longer than any retention or timeout anyone means, far from overflowing nanoseconds. */
    public static final Duration MAX_DURATION = Duration.ofDays(36_500);
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._\\-:\\[\\]%]+");

    private final Map<String, String> env;
    private final List<ConfigProblem> problems = new ArrayList<>();

    public EnvRules(Map<String, String> env) {
        this.env = env;
    }

    public List<ConfigProblem> problems() {
        return List.copyOf(problems);
    }

    /** The value, or null when unset or empty. */
    public String get(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    public void problem(String name, String value, String allowed) {
        problems.add(new ConfigProblem(name, value, allowed));
    }

    public void required(String name, String what) {
        if (get(name) == null) {
            problem(name, null, what);
        }
    }

    public void port(String name, boolean zeroAllowed) {
        String v = get(name);
        if (v != null && !inRange(v, zeroAllowed ? 0 : 1, 65535)) {
            problem(name, v, zeroAllowed ? "a TCP port 0-65535 (0 = any free port)" : "a TCP port 1-65535");
        }
    }

    public void intRange(String name, long min, long max) {
        String v = get(name);
        if (v != null && !inRange(v, min, max)) {
            problem(name, v, "a whole number from " + min + " to " + max);
        }
    }

    public void size(String name) {
        String v = get(name);
        BigInteger n = v == null ? null : bytesOf(v);
        if (v != null && (n == null || n.compareTo(LONG_MAX) > 0)) {
            // a size past 8 EiB would overflow the long the app reads it as, at start, with a stack trace
            problem(name, v, SIZE_ALLOWED);
        }
    }

    /** A size, as {@link #size(String)}, of at least {@code minBytes}; {@code why} says why less makes no sense. */
    public void sizeAtLeast(String name, long minBytes, String why) {
        boundedSize(name, minBytes, Long.MAX_VALUE, "a size in bytes of at least " + minBytes + " (" + why + ")");
    }

    /** A size, as {@link #size(String)}, of at most {@code maxBytes}; {@code why} says what the bound protects. */
    public void size(String name, long maxBytes, String why) {
        boundedSize(name, 0, maxBytes, "a size in bytes of at most " + maxBytes + " (" + why + ")");
    }

    private void boundedSize(String name, long minBytes, long maxBytes, String allowed) {
        String v = get(name);
        if (v == null) {
            return;
        }
        BigInteger n = bytesOf(v);
        if (n == null || (n.compareTo(LONG_MAX) > 0 && maxBytes == Long.MAX_VALUE)) {
            size(name); // not a size, or past 8 EiB
        } else if (n.compareTo(BigInteger.valueOf(minBytes)) < 0 || n.compareTo(BigInteger.valueOf(maxBytes)) > 0) {
            problem(name, v, allowed);
        }
    }

    /**
     * The bytes of a size as Quarkus's {@link MemorySize} reads it (digits, then B, K, M, G, T, P, E, Z or Y in
     * powers of 1024), or null when it is not one. "64KB" and "64KiB" are not: the converter refuses them, and taking
     * them here would only move the refusal to a stack trace once the app reads the value.
     */
    public static BigInteger bytesOf(String v) {
        try {
            MemorySize size = SIZES.convert(v);
            return size == null ? null : size.asBigInteger();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * A duration of 0 or from 1 ms to {@link #MAX_DURATION}: below a millisecond the services' timers would read 0
     * (for some, "never"), past about 292 years converting it to nanoseconds overflows.
     */
    public void duration(String name) {
        String v = get(name);
        if (v == null) {
            return;
        }
        Duration d = durationOf(v);
        if (d == null) {
            problem(name, v, "a duration such as 45s, 500ms, 5m, 1h or PT45S");
        } else if (!d.isZero() && (d.compareTo(Duration.ofMillis(1)) < 0 || d.compareTo(MAX_DURATION) > 0)) {
            problem(name, v, "a duration of 0 or from 1ms to " + MAX_DURATION.toDays() + "d");
        }
    }

    public void bool(String name) {
        String v = get(name);
        if (v != null && !v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
            problem(name, v, "true or false");
        }
    }

    public void oneOf(String name, String... allowed) {
        String v = get(name);
        if (v != null && Arrays.stream(allowed).noneMatch(a -> a.equalsIgnoreCase(v))) {
            problem(name, v, "one of " + String.join(", ", allowed));
        }
    }

    /** {@code host:port} with a port 1-65535; IPv6 literals in brackets. */
    public void hostPort(String name) {
        String v = get(name);
        if (v == null) {
            return;
        }
        int colon = v.lastIndexOf(':');
        boolean ok = colon > 0 && colon < v.length() - 1
                && HOST.matcher(v.substring(0, colon)).matches()
                && inRange(v.substring(colon + 1), 1, 65535);
        if (!ok) {
            problem(name, v, "host:port, e.g. forwarder:8888 or 10.0.0.5:8888");
        }
    }

    /** A host name or IP address (IPv6 with or without brackets); {@code portVariable} is where a port goes. */
    public void hostName(String name, String portVariable) {
        String v = get(name);
        if (v == null) {
            return;
        }
        if (!HOST.matcher(v).matches()) {
            problem(name, v, "a host name or IP address");
        } else if (v.indexOf(':') >= 0 && v.indexOf(':') == v.lastIndexOf(':')
                || v.startsWith("[") && !v.endsWith("]")) {
            // one colon is "host:port" (an IPv6 address has at least two), and so is "[::1]:5000": goproxy would
            // look up "app:5000"
            problem(name, v, "a host name or IP address without a port (the port goes in " + portVariable + ")");
        }
    }

    private static boolean inRange(String v, long min, long max) {
        try {
            long n = Long.parseLong(v);
            return n >= min && n <= max;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * The duration as Quarkus's {@link DurationConverter} reads it for the typed config, or null when it is not one
     * or negative: a bare number is seconds; {@code 500ms}, {@code 45s}, {@code 5m}, {@code 1h}, {@code 7d}; seconds,
     * minutes and hours combined as Go writes them ({@code 1m30s}, {@code 1h30m}), seconds with a fraction
     * ({@code 1.5s}); ISO-8601 ({@code PT45S}).
     *
     * <p>Go's other forms ({@code 1.5h}, {@code 1m30s500ms}, {@code 300us}, {@code 114ns}) are refused, because the
     * converter refuses them: the app reads the value with it after this check, so a form taken here and not there
     * would stop the start with a stack trace instead of the line that names the variable. None is documented.
     */
    public static Duration durationOf(String v) {
        try {
            Duration d = DurationConverter.parseDuration(v);
            return d == null || d.isNegative() ? null : d;
        } catch (IllegalArgumentException | ArithmeticException | DateTimeException e) {
            // not a duration, or one past what Duration holds (9223372036854775807d)
            return null;
        }
    }
}
