package dev.tapline.forwarder.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;

/**
 * The forwarder's settings as the code reads them. Each user setting's key, variable, default and rule are
 * declared in {@link ForwarderSettings}, which feeds the key ({@link ForwarderConfigSources}); {@link ForwarderEnv}
 * checks the variables before Quarkus starts.
 *
 * <p>The nested groups ({@link #upload()}, {@link #limits()}, {@link #store()}) are tuning knobs: each key's
 * default and range are declared in {@link ForwarderTuning}; no documented variable feeds them, tests and
 * benchmarks override them.
 */
@ConfigMapping(prefix = "forwarder")
public interface ForwarderConfig {

    /** SERVICE_PORT: the gRPC port goproxies register and upload to. */
    int servicePort();

    /** CLUSTER_NAME: told to every proxy at registration and stamped on every capture. */
    String clusterName();

    /** FORWARDER_TOKEN: when set, every gRPC call must carry "authorization: Bearer &lt;token&gt;". */
    Optional<String> token();

    /** API_TOKEN: the read API's token; unset = generated at start, "none" = open (see ApiAccess). */
    Optional<String> apiToken();

    /** DATA_DIR: where the embedded store keeps its files. */
    Path dataDir();

    /** RETENTION_BYTES: the store deletes the oldest captures beyond this size (0 = no size limit). */
    MemorySize retentionBytes();

    /** RETENTION_AGE: captures older than this are deleted (0 = no age limit). */
    Duration retentionAge();

    /** REAP_AFTER: a proxy silent for longer than this is evicted. */
    Duration reapAfter();

    /** HEARTBEAT_INTERVAL: how often proxies are told to check in. */
    Duration heartbeatInterval();

    /** WITH_DLP: redact sensitive data before it is stored. */
    boolean withDlp();

    /** DLP_CONFIG: "standard" or the path of a JSON rules file. */
    String dlpConfig();

    /** GRPC_DESCRIPTOR_SET: comma-separated paths of descriptor sets for the typed decode of gRPC messages. */
    Optional<String> grpcDescriptorSet();

    /** TELEMETRY_INTERVAL: how often the counters are logged (0 = never). */
    Duration telemetryInterval();

    /** APP_POD_NAMESPACE: the namespace the forwarder runs in; telemetry is off without it. */
    Optional<String> appPodNamespace();

    /** How much of the upload streams the forwarder holds in memory at once. */
    Upload upload();

    /** The bounds a capture record must stay within to be stored. */
    Limits limits();

    /** The embedded store's writer and retention pace. */
    Store store();

    /** Flow control of the Upload streams; each knob's meaning, default and range: {@link ForwarderTuning}. */
    interface Upload {
        /** {@link ForwarderTuning#UPLOAD_WINDOW}. */
        int window();

        /** {@link ForwarderTuning#UPLOAD_MAX_IN_FLIGHT_BATCHES}. */
        int maxInFlightBatches();

        /** {@link ForwarderTuning#UPLOAD_PREPARE_THREADS}. */
        int prepareThreads();
    }

    /** Per-record bounds; a record beyond one is rejected with the reason, the stream goes on. */
    interface Limits {
        /** {@link ForwarderTuning#LIMITS_MAX_BODY_BYTES}. */
        MemorySize maxBodyBytes();

        /** {@link ForwarderTuning#LIMITS_MAX_HEADERS}. */
        int maxHeaders();

        /** {@link ForwarderTuning#LIMITS_MAX_HEADER_BYTES}. */
        MemorySize maxHeaderBytes();

        /** {@link ForwarderTuning#LIMITS_MAX_TARGET_LENGTH}. */
        int maxTargetLength();
    }

    /** The store writer and retention. */
    interface Store {
        /** {@link ForwarderTuning#STORE_WRITER_QUEUE_BATCHES}. */
        int writerQueueBatches();

        /** {@link ForwarderTuning#STORE_GROUP_COMMIT_RECORDS}. */
        int groupCommitRecords();

        /** {@link ForwarderTuning#STORE_GROUP_COMMIT_LINGER}. */
        Duration groupCommitLinger();

        /** {@link ForwarderTuning#STORE_RETENTION_INTERVAL}. */
        Duration retentionInterval();

        /** {@link ForwarderTuning#STORE_RETENTION_CHUNK}. */
        int retentionChunk();

        /** {@link ForwarderTuning#STORE_MIN_FREE_BYTES}. */
        MemorySize minFreeBytes();
    }
}
