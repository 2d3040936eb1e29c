package dev.tapline.forwarder.sink.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tapline.common.config.SettingsTable;
import io.smallrye.config.SmallRyeConfigBuilder;

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

    @Test
    void theSocketBufferIsTheKernelsUnlessUsersSetOne() {
        assertThat(KafkaClientSettings.producer(Map.of("bootstrap.servers", "k:9092")))
                .containsEntry("send.buffer.bytes", "-1");
        assertThat(KafkaClientSettings.producer(Map.of("bootstrap.servers", "k:9092", "send.buffer.bytes", "131072")))
                .containsEntry("send.buffer.bytes", "131072");
    }

    @Test
    void everyDefaultGivesWayToItsKafkaVariable() {
        for (KafkaClientSettings.ProducerDefault d : KafkaClientSettings.PRODUCER_DEFAULTS) {
            String variable = "KAFKA_" + d.property().toUpperCase(Locale.ROOT).replace('.', '_');
            Map<String, Object> settings = KafkaClientSettings.of(Map.of(variable, "7"),
                    new SmallRyeConfigBuilder().build(), "k:9092");
            assertThat(KafkaClientSettings.producer(settings)).as(variable).containsEntry(d.property(), "7");
        }
    }

    @Test
    void readmesProducerDefaultsTableIsTheDeclarations() throws Exception {
        assertThat(SettingsTable.readmeTable(Path.of("../README.md"), "#### Kafka producer defaults",
                KafkaClientSettings.producerDefaultsMarkdown()))
                .as("README.md's Kafka producer defaults, written from KafkaClientSettings.PRODUCER_DEFAULTS")
                .isEqualTo(KafkaClientSettings.producerDefaultsMarkdown());
    }
}
