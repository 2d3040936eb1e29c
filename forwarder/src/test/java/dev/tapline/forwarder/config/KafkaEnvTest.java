package dev.tapline.forwarder.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tapline.common.config.ConfigProblem;

class KafkaEnvTest {

    @Test
    void kafkaSettingsAreOptionalAndTheirUsualValuesPass() {
        assertThat(ForwarderEnv.check(Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka-0:9092,kafka-1:9092", "SINK", "both",
                "KAFKA_FORMAT", "protobuf", "INDEX_FROM_KAFKA", "true", "KAFKA_TOPIC_PARTITIONS", "12",
                "KAFKA_UNAVAILABLE_READY_AFTER", "30s", "KAFKA_SECURITY_PROTOCOL", "SASL_SSL"))).isEmpty();
    }

    @Test
    void eachBadValueIsNamedWithWhatIsAllowed() {
        assertThat(ForwarderEnv.check(Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka", "KAFKA_FORMAT", "avro",
                "SINK", "s3", "KAFKA_TOPIC", "captures/all", "KAFKA_TOPIC_PARTITIONS", "0",
                "KAFKA_UNAVAILABLE_READY_AFTER", "soon", "KAFKA_ACKS", "1")))
                .extracting(ConfigProblem::variable)
                .containsExactlyInAnyOrder("KAFKA_BOOTSTRAP_SERVERS", "KAFKA_FORMAT", "SINK", "KAFKA_TOPIC",
                        "KAFKA_TOPIC_PARTITIONS", "KAFKA_UNAVAILABLE_READY_AFTER", "KAFKA_ACKS");
    }

    @Test
    void publishingOrIndexingNeedsBootstrapServers() {
        assertThat(ForwarderEnv.check(Map.of("SINK", "kafka", "INDEX_FROM_KAFKA", "true")))
                .extracting(ConfigProblem::variable).containsExactlyInAnyOrder("SINK", "INDEX_FROM_KAFKA");
        assertThat(ForwarderEnv.check(Map.of("SINK", "store"))).isEmpty();
    }

    @Test
    void theTwoTopicsMustDiffer() {
        assertThat(ForwarderEnv.check(Map.of("KAFKA_TOPIC", "t", "KAFKA_PROXIES_TOPIC", "t")))
                .extracting(ConfigProblem::variable).containsExactly("KAFKA_PROXIES_TOPIC");
    }
}
