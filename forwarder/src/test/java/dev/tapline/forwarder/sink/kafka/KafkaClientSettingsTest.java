package dev.tapline.forwarder.sink.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The producer's settings: what acks rely on is forced, the batching defaults give way to what users set. */
class KafkaClientSettingsTest {

    @Test
    void acksAndIdempotenceAreForcedWhateverUsersPass() {
        Map<String, Object> p = KafkaClientSettings.producer(Map.of("bootstrap.servers", "k:9092", "acks", "1",
                "enable.idempotence", "false"));
        assertThat(p).containsEntry("acks", "all").containsEntry("enable.idempotence", "true")
                .containsEntry("bootstrap.servers", "k:9092");
    }

    @Test
    void batchesHoldAProxysBatchUnlessUsersSetTheirOwn() {
        assertThat(KafkaClientSettings.producer(Map.of("bootstrap.servers", "k:9092")))
                .containsEntry("batch.size", "262144").containsEntry("linger.ms", "5");
        assertThat(KafkaClientSettings.producer(Map.of("bootstrap.servers", "k:9092", "batch.size", "16384",
                "linger.ms", "0"))).containsEntry("batch.size", "16384").containsEntry("linger.ms", "0");
    }
}
