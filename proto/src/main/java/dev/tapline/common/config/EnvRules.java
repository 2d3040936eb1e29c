package dev.tapline.common.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks raw environment variables before Quarkus starts, so a bad value ends the process with one line that
 * names the variable, the value and what is allowed, instead of a conversion stack trace.
 *
 * <p>The accepted forms are those of the Quarkus converters the typed config uses afterwards: sizes like
 * {@code 65536}, {@code 64K}, {@code 64M}; durations like {@code 45}, {@code 45s}, {@code 500ms}, {@code 5m},
 * {@code PT45S}. An empty value counts as unset.
 */
public final class EnvRules {
    // what Quarkus's MemorySize takes (so "64MB", which it refuses, is caught here with a clear message)
    private static final Pattern SIZE = Pattern.compile("\\d{1,18}[BbKkMmGgTt]?");
    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)?");
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
        if (v != null && (!SIZE.matcher(v).matches() || bytes(v) == Long.MAX_VALUE)) {
            // a size past 8 EiB would overflow the long Quarkus converts it to, at start, with a stack trace
            problem(name, v, "a size in bytes such as 65536, 64K, 64M or 1G");
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
        long n = SIZE.matcher(v).matches() ? bytes(v) : -1;
        if (n < 0 || (n == Long.MAX_VALUE && maxBytes == Long.MAX_VALUE)) {
            size(name); // not a size, or past 8 EiB
        } else if (n < minBytes || n > maxBytes) {
            problem(name, v, allowed);
        }
    }

    /** The bytes of a size that matched {@link #SIZE}; saturates instead of overflowing. */
    private static long bytes(String v) {
        char unit = Character.toUpperCase(v.charAt(v.length() - 1));
        int shift = switch (unit) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            case 'T' -> 40;
            default -> 0;
        };
        long n = Long.parseLong(Character.isDigit(unit) ? v : v.substring(0, v.length() - 1));
        return n > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : n << shift;
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

    /** The duration as Quarkus reads it (a bare number is seconds), or null when it is not one or negative. */
    public static Duration durationOf(String v) {
        Matcher simple = SIMPLE_DURATION.matcher(v);
        if (simple.matches()) {
            long n = Long.parseLong(simple.group(1));
            String unit = simple.group(2) == null ? "s" : simple.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofSeconds(n);
            };
        }
        try {
            Duration d = Duration.parse(v.toUpperCase(Locale.ROOT));
            return d.isNegative() ? null : d;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
