package dev.tapline.forwarder.config;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.tapline.common.config.EnvRules;
import io.quarkus.runtime.configuration.MemorySize;

/**
 * Checks the tuning knobs ({@link ForwarderConfig#upload()}, {@link ForwarderConfig#limits()},
 * {@link ForwarderConfig#store()}) at start. They have no documented variable, but Quarkus still reads them from the
 * environment (e.g. {@code FORWARDER_UPLOAD_WINDOW}) and from system properties; a zero window or thread count
 * would not fail later, it would hang ingest silently. So each value out of range is named, with what is allowed.
 */
public final class ForwarderTuning {
    private ForwarderTuning() {
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
