package dev.tapline.goproxy.config;

import java.time.Duration;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;

/**
 * goproxy's settings as the code reads them. Each key, its variable, default and rule are declared in
 * {@link GoproxySettings}, which feeds the key ({@link GoproxyConfigSources}); {@link GoproxyEnv} checks the
 * variables before Quarkus starts.
 */
@ConfigMapping(prefix = "goproxy")
public interface GoproxyConfig {

    /** PROXY_TYPE: only "reverse" is implemented. */
    String proxyType();

    /** PROXY_IN_PORT: where clients connect (0 = any free port, for tests). */
    int inPort();

    /** REVERSE_PROXY_HOST: the app's host. */
    String reverseProxyHost();

    /** REVERSE_PROXY_PORT: the app's port. */
    int reverseProxyPort();

    /** APP_LABEL: the app's name, shared by its instances. */
    String appLabel();

    /** APP_POD_NAME: this instance; also the proxy id. Default: the host name. */
    Optional<String> appPodName();

    /** APP_POD_NAMESPACE: the Kubernetes namespace, if any. */
    Optional<String> appPodNamespace();

    /** FORWARDER_ADDR: the forwarder's gRPC address, host:port. */
    String forwarderAddr();

    /** FORWARDER_TOKEN: sent as "authorization: Bearer &lt;token&gt;" on every forwarder call when set. */
    Optional<String> forwarderToken();

    /** IDLE_TIMEOUT: a connection with no bytes either way for this long is closed (0 = never). */
    Duration idleTimeout();

    /** DRAIN_TIMEOUT: on SIGTERM, how long open connections may go on before they are closed. */
    Duration drainTimeout();

    /** Capture settings. */
    Capture capture();

    interface Capture {
        /** CAPTURE_ENABLED: false relays without decoding or shipping anything. */
        boolean enabled();

        /** CAPTURE_BODY_BYTES: body bytes kept per message (the rest is counted, not kept). */
        MemorySize bodyBytes();

        /** CAPTURE_QUEUE_BYTES: captures waiting for the forwarder may use at most this much memory. */
        MemorySize queueBytes();

        /**
         * CAPTURE_BATCH_RECORDS: at most this many captures per upload batch. 1024 rather than 256: the forwarder
         * commits (and fsyncs) once per batch when it keeps up, so with small captures the per-commit cost
         * dominates unless batches are large (BENCHMARKS.md has the measured difference). Memory is bounded by
         * CAPTURE_BATCH_BYTES, not by this.
         */
        int batchRecords();

        /** CAPTURE_BATCH_BYTES: at most about this many bytes per upload batch. */
        MemorySize batchBytes();

        /** CAPTURE_BATCH_DELAY: a partly filled batch is sent after this long. */
        Duration batchDelay();

        /** CAPTURE_MAX_UNACKED_BATCHES: batches in flight on the upload stream before waiting for acks. */
        int maxUnackedBatches();

        /** FLUSH_TIMEOUT: on SIGTERM, how long queued captures may take to reach the forwarder. */
        Duration flushTimeout();

        /** DROP_LOG_INTERVAL: drops are logged at most once per this interval, with their count. */
        Duration dropLogInterval();
    }
}
