package dev.tapline.forwarder.config;

import java.util.ArrayList;
import java.util.List;

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
        range(problems, "forwarder.limits.max-body-bytes", limits.maxBodyBytes().asLongValue(), 0, Integer.MAX_VALUE);
        range(problems, "forwarder.limits.max-headers", limits.maxHeaders(), 1, 1_000_000);
        range(problems, "forwarder.limits.max-header-bytes", limits.maxHeaderBytes().asLongValue(), 1, Integer.MAX_VALUE);
        range(problems, "forwarder.limits.max-target-length", limits.maxTargetLength(), 1, Integer.MAX_VALUE);
        ForwarderConfig.Store store = config.store();
        range(problems, "forwarder.store.writer-queue-batches", store.writerQueueBatches(), 1, 65_536);
        range(problems, "forwarder.store.group-commit-records", store.groupCommitRecords(), 1, 1_000_000);
        range(problems, "forwarder.store.group-commit-linger (ms)", store.groupCommitLinger().toMillis(), 0, 1_000);
        range(problems, "forwarder.store.retention-interval (ms)", store.retentionInterval().toMillis(), 1, Long.MAX_VALUE);
        range(problems, "forwarder.store.retention-chunk", store.retentionChunk(), 1, 1_000_000);
        range(problems, "forwarder.store.min-free-bytes", store.minFreeBytes().asLongValue(), 0, Long.MAX_VALUE);
        return problems;
    }

    private static void range(List<String> problems, String key, long value, long min, long max) {
        if (value < min || value > max) {
            problems.add(key + "=" + value + ": allowed is " + min + " to " + max);
        }
    }
}
