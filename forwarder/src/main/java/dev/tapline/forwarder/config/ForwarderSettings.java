package dev.tapline.forwarder.config;

import static dev.tapline.common.config.Rule.bool;
import static dev.tapline.common.config.Rule.duration;
import static dev.tapline.common.config.Rule.intRange;
import static dev.tapline.common.config.Rule.oneOf;
import static dev.tapline.common.config.Rule.port;
import static dev.tapline.common.config.Rule.size;

import java.util.Arrays;
import java.util.List;

import dev.tapline.common.config.EnvRules;
import dev.tapline.common.config.Rule;
import dev.tapline.common.config.Setting;

/**
 * Every forwarder setting, declared once: variable, key, default, rule, README's line. In README's order; the start
 * check reports problems in this order too, then those across settings ({@link ForwarderEnv}).
 */
public enum ForwarderSettings {
    SERVICE_PORT(Setting.of("SERVICE_PORT", "forwarder.service-port", "8888", port(),
            "gRPC port proxies register and upload to")),
    HTTP_PORT(Setting.of("HTTP_PORT", "quarkus.http.port", "8889", port(), "HTTP port: health, metrics, read API")),
    CLUSTER_NAME(Setting.of("CLUSTER_NAME", "forwarder.cluster-name", "default", Rule.ANY,
            "told to proxies, stamped on captures")),
    LOG_LEVEL(Setting.of("LOG_LEVEL", "quarkus.log.category.\"dev.tapline\".level", "info",
            oneOf("trace", "debug", "info", "warn", "warning", "error"),
            "`debug`, `info`, `warn`, `error` for the forwarder's own lines")),
    FORWARDER_TOKEN(Setting.without("FORWARDER_TOKEN", "forwarder.token", "unset", ForwarderEnv::token,
            "when set, every gRPC call must carry `authorization: Bearer <token>`; others fail with"
                    + " `UNAUTHENTICATED` and a WARN line (`Refused gRPC call ...`). Visible ASCII, no spaces. The"
                    + " standard gRPC health service stays open")),
    API_TOKEN(Setting.without("API_TOKEN", "forwarder.api-token", "unset (generated)", ForwarderEnv::token,
            "`/api/...` and `/q/openapi` need `Authorization: Bearer <token>` (401 with a JSON error otherwise)."
                    + " Unset or empty: a random token is made at start and the Analyzer's URL carrying it is logged"
                    + " once at INFO (`Open the Analyzer at http://localhost:8889/analyzer/#token=...`); a restart"
                    + " makes a new one. `none`: open to anyone who reaches `HTTP_PORT`, with a WARN at start."
                    + " `/q/health/*` and `/q/metrics` stay open")),
    DATA_DIR(Setting.of("DATA_DIR", "forwarder.data-dir", "data", ForwarderEnv::dataDir,
            "where the embedded store keeps `captures.db` (+ `-wal`, `-shm`) and records of 8 KiB and more in"
                    + " `bodies-*.seg`; mount a volume there")
            .documentedDefault("`data` (`/var/lib/tapline` in the image)")),
    RETENTION_BYTES(Setting.of("RETENTION_BYTES", "forwarder.retention-bytes", "1G", size(),
            "oldest captures are deleted beyond this size (`0` = no limit)")),
    RETENTION_AGE(Setting.of("RETENTION_AGE", "forwarder.retention-age", "7d", duration(),
            "captures older than this are deleted (`0` = no limit)")),
    REAP_AFTER(Setting.of("REAP_AFTER", "forwarder.reap-after", "45s", duration(),
            "proxies silent longer than this are evicted (1ms to 24d)")),
    HEARTBEAT_INTERVAL(Setting.of("HEARTBEAT_INTERVAL", "forwarder.heartbeat-interval",
            Heartbeat.derived(EnvRules.durationOf(REAP_AFTER.setting.defaultValue())).toString(), duration(),
            "check-in interval told to proxies; must be shorter than `REAP_AFTER`")
            .documentedDefault("a third of `REAP_AFTER`, at most `15s`")),
    WITH_DLP(Setting.of("WITH_DLP", "forwarder.with-dlp", "false", bool(), "redact sensitive data before storing")),
    DLP_CONFIG(Setting.of("DLP_CONFIG", "forwarder.dlp-config", "standard", Rule.ANY,
            "`standard` or the path of a JSON rules file (see \"DLP rules\"); a bad file stops the start")),
    GRPC_DESCRIPTOR_SET(Setting.without("GRPC_DESCRIPTOR_SET", "forwarder.grpc-descriptor-set", "unset", Rule.ANY,
            "comma-separated paths of `protoc --include_imports --descriptor_set_out` files: gRPC messages of the"
                    + " methods they declare are shown with field and enum names (see \"Reading captures\"); an"
                    + " unreadable file or one that is not a FileDescriptorSet stops the start")),
    TELEMETRY_INTERVAL(Setting.of("TELEMETRY_INTERVAL", "forwarder.telemetry-interval", "0s", duration(),
            "log the counters every interval (needs `APP_POD_NAMESPACE`)")),
    APP_POD_NAMESPACE(Setting.without("APP_POD_NAMESPACE", "forwarder.app-pod-namespace", "unset", Rule.ANY,
            "the forwarder's namespace")),
    SINK(Setting.without("SINK", "forwarder.kafka.sink", "`store`; `kafka` when `KAFKA_BOOTSTRAP_SERVERS` is set",
            oneOf("store", "kafka", "both"), "where accepted captures go: `store` (the embedded store), `kafka`"
                    + " (publish only: a stateless ingest node), `both` (acked when both have it). See \"Kafka\"")),
    KAFKA_BOOTSTRAP_SERVERS(Setting.without("KAFKA_BOOTSTRAP_SERVERS", "forwarder.kafka.bootstrap-servers", "unset",
            KafkaEnv::bootstrapServers, "`host:port[,host:port...]` of a Kafka cluster; unset: no Kafka. Any other"
                    + " Kafka client setting: `KAFKA_<PROPERTY>` (e.g. `KAFKA_SECURITY_PROTOCOL`) or `kafka.<property>`")),
    KAFKA_TOPIC(Setting.of("KAFKA_TOPIC", "forwarder.kafka.topic", "tapline.captures", KafkaEnv::topic,
            "the captures topic (created when missing)")),
    KAFKA_FORMAT(Setting.of("KAFKA_FORMAT", "forwarder.kafka.format", "json", oneOf("json", "protobuf"),
            "record value: `json` (the read API's capture JSON) or `protobuf` (the contract's `Capture`)")),
    KAFKA_PROXIES_TOPIC(Setting.of("KAFKA_PROXIES_TOPIC", "forwarder.kafka.proxies-topic", "tapline.proxies",
            KafkaEnv::topic, "compacted topic of proxy registrations, check-ins and evictions")),
    KAFKA_TOPIC_PARTITIONS(Setting.of("KAFKA_TOPIC_PARTITIONS", "forwarder.kafka.topic-partitions", "6",
            intRange(1, 100_000), "partitions of the captures topic when the forwarder creates it")),
    KAFKA_UNAVAILABLE_READY_AFTER(Setting.of("KAFKA_UNAVAILABLE_READY_AFTER",
            "forwarder.kafka.unavailable-ready-after", "10s", duration(),
            "readiness goes DOWN when Kafka has not taken records (or not answered) this long")),
    INDEX_FROM_KAFKA(Setting.of("INDEX_FROM_KAFKA", "forwarder.kafka.index-from-kafka", "false", bool(),
            "`true`: consume both topics into the embedded store (the indexer: read API and Analyzer for the fleet)")),
    KAFKA_GROUP_ID(Setting.of("KAFKA_GROUP_ID", "forwarder.kafka.group-id", "tapline-indexer", KafkaEnv::groupId,
            "the indexer's consumer group"));

    public static final List<Setting> ALL = Arrays.stream(values()).map(ForwarderSettings::setting).toList();

    private final Setting setting;

    ForwarderSettings(Setting setting) {
        this.setting = setting;
    }

    public Setting setting() {
        return setting;
    }

    public String env() {
        return setting.env();
    }
}
