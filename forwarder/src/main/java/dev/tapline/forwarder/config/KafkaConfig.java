package dev.tapline.forwarder.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/**
 * Where captures go (SINK) and the forwarder on Kafka: the Kafka sink of ingest nodes and the indexer. Each key's
 * variable, default and rule are declared in {@link ForwarderSettings} (which feeds the key); {@link KafkaEnv} has
 * the rules across them. Any other Kafka client setting passes through as {@code KAFKA_<PROPERTY>} or
 * {@code kafka.<property>} (see {@code sink.kafka.KafkaClientSettings}).
 */
@ConfigMapping(prefix = "forwarder.kafka")
public interface KafkaConfig {

    /** SINK: store, kafka or both; unset: kafka when KAFKA_BOOTSTRAP_SERVERS is set, else store. */
    Optional<Sink> sink();

    /** KAFKA_BOOTSTRAP_SERVERS: host:port,... of the Kafka cluster; unset: no Kafka at all. */
    Optional<String> bootstrapServers();

    /** KAFKA_TOPIC: the topic captures are published to and indexed from. */
    String topic();

    /** KAFKA_FORMAT: json (the read API's capture JSON) or protobuf (the contract's Capture message). */
    Format format();

    /** KAFKA_PROXIES_TOPIC: the compacted topic of proxy registrations, check-ins and evictions. */
    String proxiesTopic();

    /** KAFKA_TOPIC_PARTITIONS: partitions of the captures topic when the forwarder creates it. */
    int topicPartitions();

    /** KAFKA_UNAVAILABLE_READY_AFTER: readiness goes DOWN when Kafka cannot take records for this long. */
    Duration unavailableReadyAfter();

    /** INDEX_FROM_KAFKA: consume both topics into the embedded store (the indexer role). */
    boolean indexFromKafka();

    /** KAFKA_GROUP_ID: the indexer's consumer group. */
    String groupId();

    /** The sink in effect: SINK, or its default given the bootstrap servers. */
    default Sink effectiveSink() {
        return sink().orElse(bootstrapServers().isPresent() ? Sink.KAFKA : Sink.STORE);
    }

    /**
     * Whether this forwarder has the embedded store: it stores what it ingests (SINK store or both) or indexes
     * from Kafka. Otherwise it is an ingest-only node: no store is opened or created, and its read API answers
     * that captures are on the indexer.
     */
    default boolean storesCaptures() {
        return effectiveSink().toStore() || indexFromKafka();
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
