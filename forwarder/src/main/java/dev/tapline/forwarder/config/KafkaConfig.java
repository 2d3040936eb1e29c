package dev.tapline.forwarder.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Where captures go (SINK) and the forwarder on Kafka: the Kafka sink of ingest nodes and the indexer. Each key is
 * fed by the environment variable named in its Javadoc (see application.properties); {@link KafkaEnv} checks them
 * before Quarkus starts. Any other Kafka client setting passes through as {@code KAFKA_<PROPERTY>} or
 * {@code kafka.<property>} (see {@code sink.kafka.KafkaClientSettings}).
 */
@ConfigMapping(prefix = "forwarder.kafka")
public interface KafkaConfig {

    /** SINK: store, kafka or both; unset: kafka when KAFKA_BOOTSTRAP_SERVERS is set, else store. */
    Optional<Sink> sink();

    /** KAFKA_BOOTSTRAP_SERVERS: host:port,... of the Kafka cluster; unset: no Kafka at all. */
    Optional<String> bootstrapServers();

    /** KAFKA_TOPIC: the topic captures are published to and indexed from. */
    @WithDefault("tapline.captures")
    String topic();

    /** KAFKA_FORMAT: json (the read API's capture JSON) or protobuf (the contract's Capture message). */
    @WithDefault("json")
    Format format();

    /** KAFKA_PROXIES_TOPIC: the compacted topic of proxy registrations, check-ins and evictions. */
    @WithDefault("tapline.proxies")
    String proxiesTopic();

    /** KAFKA_TOPIC_PARTITIONS: partitions of the captures topic when the forwarder creates it. */
    @WithDefault("6")
    int topicPartitions();

    /** KAFKA_UNAVAILABLE_READY_AFTER: readiness goes DOWN when Kafka cannot take records for this long. */
    @WithDefault("10s")
    Duration unavailableReadyAfter();

    /** INDEX_FROM_KAFKA: consume both topics into the embedded store (the indexer role). */
    @WithDefault("false")
    boolean indexFromKafka();

    /** KAFKA_GROUP_ID: the indexer's consumer group. */
    @WithDefault("tapline-indexer")
    String groupId();

    /** The sink in effect: SINK, or its default given the bootstrap servers. */
    default Sink effectiveSink() {
        return sink().orElse(bootstrapServers().isPresent() ? Sink.KAFKA : Sink.STORE);
    }

    enum Sink {
        STORE, KAFKA, BOTH;

        public boolean toStore() {
            return this != KAFKA;
        }

        public boolean toKafka() {
            return this != STORE;
        }
    }

    enum Format {
        JSON, PROTOBUF
    }
}
