package dev.tapline.forwarder.sink.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tapline.capture.v1.Capture;
import dev.tapline.forwarder.config.KafkaConfig.Format;
import dev.tapline.forwarder.ingest.BatchPreparer;
import dev.tapline.forwarder.store.SinkOutcome;
import dev.tapline.forwarder.store.StoredCapture;
import dev.tapline.forwarder.testing.Captures;
import dev.tapline.testkit.KafkaBroker;

/** The Kafka sink against a real broker: a batch completes only once Kafka acked all of it, never before. */
class KafkaSinkTest {
    private static KafkaBroker broker;
    private static KafkaProducer<String, byte[]> producer;
    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() {
        broker = KafkaBroker.start("auto.create.topics.enable=true");
        producer = new KafkaProducer<>(KafkaClientSettings.producer(Map.of("bootstrap.servers",
                broker.bootstrapServers(), "delivery.timeout.ms", "120000")), new StringSerializer(),
                new ByteArraySerializer());
    }

    @AfterAll
    static void stop() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(2));
        }
        if (broker != null) {
            broker.close();
        }
    }

    private static StoredCapture row(String id, long cid) {
        Capture c = Captures.http(id, "proxy-1", "/p/" + id).setCid(cid).build();
        return BatchPreparer.row(c, "shop", "shop-pod-1", "c1", Captures.T0);
    }

    @Test
    void aBatchIsDoneWhenKafkaAckedEachRecordAsTheReadApisJsonWithHeaders() throws Exception {
        KafkaLink link = new KafkaLink(Duration.ofSeconds(10));
        KafkaSink sink = new KafkaSink(producer, new CaptureRecords("json-topic", Format.JSON, json), link);

        List<SinkOutcome> outcomes = sink.write(List.of(row("j1", 7), row("j2", 7))).get(60, TimeUnit.SECONDS);

        assertThat(outcomes).containsExactly(SinkOutcome.STORED, SinkOutcome.STORED);
        List<ConsumerRecord<String, byte[]>> records = consume("json-topic", 2);
        assertThat(records).extracting(ConsumerRecord::key).containsExactly("proxy-1/7", "proxy-1/7");
        JsonNode first = json.readTree(records.get(0).value());
        assertThat(first.get("id").asText()).isEqualTo("j1");
        assertThat(first.get("appLabel").asText()).isEqualTo("shop");
        assertThat(first.get("http").get("req").get("url").asText()).isEqualTo("/p/j1");
        assertThat(header(records.get(0), CaptureRecords.ID)).isEqualTo("j1");
        assertThat(header(records.get(0), CaptureRecords.APP_LABEL)).isEqualTo("shop");
        assertThat(header(records.get(0), CaptureRecords.L7PROTOCOL)).isEqualTo("http1");
        assertThat(link.problem()).isNull();
    }

    @Test
    void whileTheBrokerIsDownTheBatchStaysUnackedAndReadinessGoesDownThenItCompletes() throws Exception {
        KafkaLink link = new KafkaLink(Duration.ofSeconds(1));
        KafkaSink sink = new KafkaSink(producer, new CaptureRecords("proto-topic", Format.PROTOBUF, json), link);
        sink.write(List.of(row("warm", 1))).get(60, TimeUnit.SECONDS); // the topic and its metadata exist

        broker.kill();
        CompletableFuture<List<SinkOutcome>> pending = sink.write(List.of(row("p1", 2), row("p2", 2)));
        Thread.sleep(2500);
        assertThat(pending).as("not acked while Kafka is down").isNotDone();
        assertThat(link.problem()).contains("2 records sent to Kafka and none acked");

        broker.restart();
        assertThat(pending.get(90, TimeUnit.SECONDS)).hasSize(2);
        assertThat(link.problem()).isNull();
        List<ConsumerRecord<String, byte[]>> records = consume("proto-topic", 3);
        assertThat(records).extracting(r -> header(r, CaptureRecords.ID)).containsExactly("warm", "p1", "p2");
        assertThat(Capture.parseFrom(records.get(1).value()).getId()).isEqualTo("p1");
    }

    private static List<ConsumerRecord<String, byte[]>> consume(String topic, int count) {
        Map<String, Object> settings = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.GROUP_ID_CONFIG, "t-" + topic);
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(settings, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (out.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            }
        }
        return out;
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
