package dev.tapline.forwarder.config;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.tapline.common.config.EnvRules;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * Checks the tuning knobs ({@link ForwarderConfig#upload()}, {@link ForwarderConfig#limits()},
 * {@link ForwarderConfig#store()}) at start. They have no documented variable, but Quarkus still reads them from the
 * environment (e.g. {@code FORWARDER_UPLOAD_WINDOW}) and from system properties; a zero window or thread count
 * would not fail later, it would hang ingest silently. So each value out of range is named, with what is allowed.
 */
public final class ForwarderTuning {
    private ForwarderTuning() {
    }

    /**
     * The problems of the values the forwarder is about to start with, read before Quarkus starts, from where Quarkus
     * reads them (system properties, the environment, application.properties). Checked only once Quarkus runs, a
     * bad value first failed the building of the beans that use it (a gRPC server stack trace) or let the gRPC
     * server open its port. Empty when the values cannot be read here: Quarkus then reads them and reports what it
     * cannot convert, and StartupLog checks them again.
     */
    public static List<String> problemsBeforeStart() {
        try {
            SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder().addDefaultInterceptors().addDefaultSources()
                    .addDiscoveredConverters().withConverter(MemorySize.class, 100, new MemorySizeConverter())
                    .withValidateUnknown(false).withMapping(ForwarderConfig.class);
            URL properties = ForwarderTuning.class.getClassLoader().getResource("application.properties");
            if (properties != null) {
                builder.withSources(new PropertiesConfigSource(properties, 250));
            }
            builder.withSources(ForwarderConfigSources.of(System.getenv()));
            return problems(builder.build().getConfigMapping(ForwarderConfig.class));
        } catch (RuntimeException | IOException e) {
            return List.of();
        }
    }

    /** One line per setting out of range, e.g. {@code forwarder.upload.window=0: allowed is 1 to 1024}. */
    public static List<String> problems(ForwarderConfig config) {
        List<String> problems = new ArrayList<>();
        ForwarderConfig.Upload upload = config.upload();
        range(problems, "forwarder.upload.window", upload.window(), 1, 1024);
        range(problems, "forwarder.upload.max-in-flight-batches", upload.maxInFlightBatches(), 1, 65_536);
        range(problems, "forwarder.upload.prepare-threads", upload.prepareThreads(), 1, 256);
        ForwarderConfig.Limits limits = config.limits();
        range(problems, "forwarder.limits.max-body-bytes", bytes(limits.maxBodyBytes()), 0, Integer.MAX_VALUE);
        range(problems, "forwarder.limits.max-headers", limits.maxHeaders(), 1, 1_000_000);
        range(problems, "forwarder.limits.max-header-bytes", bytes(limits.maxHeaderBytes()), 1, Integer.MAX_VALUE);
        range(problems, "forwarder.limits.max-target-length", limits.maxTargetLength(), 1, Integer.MAX_VALUE);
        ForwarderConfig.Store store = config.store();
        range(problems, "forwarder.store.writer-queue-batches", store.writerQueueBatches(), 1, 65_536);
        range(problems, "forwarder.store.group-commit-records", store.groupCommitRecords(), 1, 1_000_000);
        range(problems, "forwarder.store.group-commit-linger (ms)", millis(store.groupCommitLinger()), 0, 1_000);
        range(problems, "forwarder.store.retention-interval (ms)", millis(store.retentionInterval()), 1,
                EnvRules.MAX_DURATION.toMillis());
        range(problems, "forwarder.store.retention-chunk", store.retentionChunk(), 1, 1_000_000);
        range(problems, "forwarder.store.min-free-bytes", bytes(store.minFreeBytes()), 0, 1L << 50);
        return problems;
    }

    /** The size in bytes, Long.MAX_VALUE past it (asLongValue() would throw, before any line could say why). */
    private static long bytes(MemorySize size) {
        BigInteger b = size.asBigInteger();
        return b.bitLength() < Long.SIZE ? b.longValue() : Long.MAX_VALUE;
    }

    /** The duration in milliseconds, Long.MAX_VALUE past it (toMillis() would throw). */
    private static long millis(Duration d) {
        return d.compareTo(Duration.ofMillis(Long.MAX_VALUE)) > 0 ? Long.MAX_VALUE : d.toMillis();
    }

    private static void range(List<String> problems, String key, long value, long min, long max) {
        if (value < min || value > max) {
            problems.add(key + "=" + value + ": allowed is " + min + " to " + max);
        }
    }
}
