package dev.tapline.common.config;

import java.math.BigInteger;
import java.time.Duration;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySizeConverter;

/**
 * One tuning knob, declared once: the config key, the default, the range it must be in and README's line. Unlike a
 * {@link Setting} it has no documented variable of its own (Quarkus still reads it from system properties, from the
 * environment as e.g. {@code FORWARDER_UPLOAD_WINDOW}, and from application.properties). Its default feeds the
 * config ({@link SettingsConfigSources}), its range is checked at start ({@link #problem}) and README's table is
 * written from it ({@link SettingsTable#tuningMarkdown}).
 *
 * @param key          the config key (a {@code @ConfigMapping} key)
 * @param defaultValue the value when nothing sets the key
 * @param unit         how the value is read and the range compared: a whole number, a size in bytes, or a duration
 *                     in milliseconds
 * @param min          the least value allowed, in the unit
 * @param max          the largest value allowed, in the unit
 * @param doc          README's meaning column
 */
public record Tuning(String key, String defaultValue, Unit unit, long min, long max, String doc) {

    public enum Unit {
        COUNT(""), BYTES(" bytes"), MILLIS(" ms");

        private final String suffix;

        Unit(String suffix) {
            this.suffix = suffix;
        }
    }

    public static Tuning count(String key, String defaultValue, long min, long max, String doc) {
        return new Tuning(key, defaultValue, Unit.COUNT, min, max, doc);
    }

    public static Tuning bytes(String key, String defaultValue, long min, long max, String doc) {
        return new Tuning(key, defaultValue, Unit.BYTES, min, max, doc);
    }

    /** A duration, written as any other ({@code 2ms}, {@code 10s}), whose range is in milliseconds. */
    public static Tuning millis(String key, String defaultValue, long min, long max, String doc) {
        return new Tuning(key, defaultValue, Unit.MILLIS, min, max, doc);
    }

    /**
     * What is wrong with {@code value}, the knob's value as the config holds it (null or blank: the default), e.g.
     * {@code forwarder.upload.window=0: allowed is 1 to 1024}; null when it is in range. The value is read with the
     * converter the typed config uses (Quarkus's {@link MemorySizeConverter}, {@link DurationConverter}), and a value
     * past a long is shown as {@link Long#MAX_VALUE}, not overflowed.
     *
     * @throws IllegalArgumentException when the value is not of the knob's type (Quarkus names it when it reads it)
     */
    public String problem(String value) {
        String v = value == null || value.isBlank() ? defaultValue : value.trim();
        long n = switch (unit) {
            case COUNT -> Long.parseLong(v);
            case BYTES -> saturated(new MemorySizeConverter().convert(v).asBigInteger());
            case MILLIS -> millis(DurationConverter.parseDuration(v));
        };
        if (n >= min && n <= max) {
            return null;
        }
        return key + (unit == Unit.MILLIS ? " (ms)" : "") + "=" + n + ": allowed is " + min + " to " + max;
    }

    /** README's allowed column, e.g. {@code 1 to 1024} or {@code 0 to 1000 ms}. */
    public String allowed() {
        return min + " to " + max + unit.suffix;
    }

    private static long saturated(BigInteger bytes) {
        return bytes.bitLength() < Long.SIZE ? bytes.longValue() : Long.MAX_VALUE;
    }

    /** The duration in milliseconds, Long.MAX_VALUE or MIN_VALUE past them (toMillis() would throw). */
    private static long millis(Duration d) {
        if (d.compareTo(Duration.ofMillis(Long.MAX_VALUE)) > 0) {
            return Long.MAX_VALUE;
        }
        return d.compareTo(Duration.ofMillis(Long.MIN_VALUE)) < 0 ? Long.MIN_VALUE : d.toMillis();
    }
}
