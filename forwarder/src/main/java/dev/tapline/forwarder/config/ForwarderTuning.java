package dev.tapline.forwarder.config;

import static dev.tapline.common.config.Tuning.bytes;
import static dev.tapline.common.config.Tuning.count;
import static dev.tapline.common.config.Tuning.millis;

import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.Config;

import dev.tapline.common.config.EnvRules;
import dev.tapline.common.config.SettingsConfigSources;
import dev.tapline.common.config.Tuning;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The forwarder's tuning knobs ({@link ForwarderConfig#upload()}, {@link ForwarderConfig#limits()},
 * {@link ForwarderConfig#store()}), each declared once: key, default, range, README's line. Their defaults feed the
 * config ({@link ForwarderConfigSources}), README's tuning table is written from them, and the range is checked at
 * start: they have no documented variable, but Quarkus still reads them from the environment (e.g.
 * {@code FORWARDER_UPLOAD_WINDOW}) and from system properties, and a zero window or thread count would not fail later,
 * it would hang ingest silently. So each value out of range is named, with what is allowed. In README's order.
 */
public enum ForwarderTuning {
    UPLOAD_WINDOW(count("forwarder.upload.window", "4", 1, 1024,
            "batches one Upload stream may have received and not yet acked; it reads no more until one is acked")),
    UPLOAD_MAX_IN_FLIGHT_BATCHES(count("forwarder.upload.max-in-flight-batches", "64", 1, 65_536,
            "batches received and not yet acked across all streams; beyond it no stream reads more")),
    UPLOAD_PREPARE_THREADS(count("forwarder.upload.prepare-threads", "2", 1, 256,
            "threads that validate, redact and encode batches before the store writer takes them")),
    LIMITS_MAX_BODY_BYTES(bytes("forwarder.limits.max-body-bytes", "16M", 0, Integer.MAX_VALUE,
            "bytes of one captured body; a record beyond a limit is rejected with the reason, the stream goes on")),
    LIMITS_MAX_HEADERS(count("forwarder.limits.max-headers", "1000", 1, 1_000_000,
            "header fields of one message (headers and trailers together)")),
    LIMITS_MAX_HEADER_BYTES(bytes("forwarder.limits.max-header-bytes", "256K", 1, Integer.MAX_VALUE,
            "bytes of all header names and values of one message")),
    LIMITS_MAX_TARGET_LENGTH(count("forwarder.limits.max-target-length", "65536", 1, Integer.MAX_VALUE,
            "characters of the request-target")),
    STORE_WRITER_QUEUE_BATCHES(count("forwarder.store.writer-queue-batches", "16", 1, 65_536,
            "prepared batches waiting for the store writer; preparing threads wait while it is full")),
    STORE_GROUP_COMMIT_RECORDS(count("forwarder.store.group-commit-records", "8192", 1, 1_000_000,
            "records committed in one transaction at most (several batches are grouped up to this)")),
    // each commit has a fixed cost (an fsync, the last page of the table and of each index written again), so the
    // writer waits a little for more batches rather than commit each alone
    STORE_GROUP_COMMIT_LINGER(millis("forwarder.store.group-commit-linger", "2ms", 0, 1_000,
            "how long the writer waits for more batches before it commits a smaller group")),
    STORE_RETENTION_INTERVAL(millis("forwarder.store.retention-interval", "10s", 1, EnvRules.MAX_DURATION.toMillis(),
            "how often retention looks for captures to delete")),
    STORE_RETENTION_CHUNK(count("forwarder.store.retention-chunk", "2000", 1, 1_000_000,
            "captures deleted per retention step; steps interleave with writes")),
    STORE_MIN_FREE_BYTES(bytes("forwarder.store.min-free-bytes", "16M", 0, 1L << 50,
            "readiness goes DOWN when the data directory's file system has less free space than this"));

    public static final List<Tuning> ALL = Arrays.stream(values()).map(ForwarderTuning::tuning).toList();

    private final Tuning tuning;

    ForwarderTuning(Tuning tuning) {
        this.tuning = tuning;
    }

    public Tuning tuning() {
        return tuning;
    }

    /** Key to default value of every knob. */
    static Map<String, String> defaults() {
        return SettingsConfigSources.tuningDefaults(ALL);
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
            SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder().addDefaultInterceptors().addDefaultSources();
            URL properties = ForwarderTuning.class.getClassLoader().getResource("application.properties");
            if (properties != null) {
                builder.withSources(new PropertiesConfigSource(properties, 250));
            }
            builder.withSources(ForwarderConfigSources.of(System.getenv()));
            return problems(builder.build());
        } catch (RuntimeException | IOException e) {
            return List.of();
        }
    }

    /**
     * One line per knob out of range, e.g. {@code forwarder.upload.window=0: allowed is 1 to 1024}.
     *
     * @throws IllegalArgumentException when a value is not of its knob's type
     */
    public static List<String> problems(Config config) {
        List<String> problems = new ArrayList<>();
        for (Tuning knob : ALL) {
            String problem = knob.problem(config.getOptionalValue(knob.key(), String.class).orElse(null));
            if (problem != null) {
                problems.add(problem);
            }
        }
        return problems;
    }
}
