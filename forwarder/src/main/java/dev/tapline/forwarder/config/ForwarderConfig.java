package dev.tapline.forwarder.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * All forwarder settings, in one place. Each key is fed by the environment variable named in its Javadoc
 * (see application.properties); {@link ForwarderEnv} checks those variables before Quarkus starts.
 */
@ConfigMapping(prefix = "forwarder")
public interface ForwarderConfig {

    /** SERVICE_PORT: the gRPC port goproxies register and upload to. */
    @WithDefault("8888")
    int servicePort();

    /** CLUSTER_NAME: told to every proxy at registration and stamped on every capture. */
    @WithDefault("default")
    String clusterName();

    /** FORWARDER_TOKEN: when set, every gRPC call must carry "authorization: Bearer &lt;token&gt;". */
    Optional<String> token();

    /** API_TOKEN: when set, the read API and the Analyzer need "Authorization: Bearer &lt;token&gt;". */
    Optional<String> apiToken();

    /** DATA_DIR: where the embedded store keeps its files. */
    @WithDefault("data")
    Path dataDir();

    /** RETENTION_BYTES: the store deletes the oldest captures beyond this size (0 = no size limit). */
    @WithDefault("1G")
    MemorySize retentionBytes();

    /** RETENTION_AGE: captures older than this are deleted (0 = no age limit). */
    @WithDefault("7d")
    Duration retentionAge();

    /** REAP_AFTER: a proxy silent for longer than this is evicted. */
    @WithDefault("45s")
    Duration reapAfter();

    /** HEARTBEAT_INTERVAL: how often proxies are told to check in. */
    @WithDefault("15s")
    Duration heartbeatInterval();

    /** WITH_DLP: redact sensitive data before it is stored. */
    @WithDefault("false")
    boolean withDlp();

    /** DLP_CONFIG: "standard" or the path of a JSON rules file. */
    @WithDefault("standard")
    String dlpConfig();

    /** TELEMETRY_INTERVAL: how often the counters are logged (0 = never). */
    @WithDefault("0s")
    Duration telemetryInterval();

    /** APP_POD_NAMESPACE: the namespace the forwarder runs in; telemetry is off without it. */
    Optional<String> appPodNamespace();
}
