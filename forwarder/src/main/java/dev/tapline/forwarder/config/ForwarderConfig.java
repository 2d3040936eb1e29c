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

    /** Flow control of the Upload streams. */
    interface Upload {
        /** Batches one stream may have received and not yet acked; the stream reads no more until one is acked. */
        int window();

        /** Batches received and not yet acked across all streams; beyond it no stream reads more. */
        int maxInFlightBatches();

        /** Threads that validate, redact and encode batches before the store writer takes them. */
        int prepareThreads();
    }

    /** Per-record bounds; a record beyond one is rejected with the reason, the stream goes on. */
    interface Limits {
        /** Bytes of one captured body (request or response). */
        MemorySize maxBodyBytes();

        /** Header fields of one message (headers and trailers together). */
        int maxHeaders();

        /** Bytes of all header names and values of one message. */
        MemorySize maxHeaderBytes();

        /** Characters of the request-target. */
        int maxTargetLength();
    }

    /** The store writer and retention. */
    interface Store {
        /** Prepared batches waiting for the writer thread; preparing threads wait while it is full. */
        int writerQueueBatches();

        /** Records committed in one transaction at most (several batches are grouped up to this). */
        int groupCommitRecords();

        /**
         * How long the writer waits for more batches before it commits a group smaller than groupCommitRecords.
         * Each commit has a fixed cost (an fsync, the last page of the table and of each index written again):
         * with 200 proxies sending batches of 20, committing each alone cost 11–13 % more CPU per capture.
         */
        Duration groupCommitLinger();

        /** How often retention looks for captures to delete. */
        Duration retentionInterval();

        /** Captures deleted per retention step; steps interleave with writes. */
        int retentionChunk();

        /** Readiness goes down when the data directory's file system has less free space than this. */
        MemorySize minFreeBytes();
    }
}
