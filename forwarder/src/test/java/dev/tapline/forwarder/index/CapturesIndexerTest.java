package dev.tapline.forwarder.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tapline.capture.v1.Capture;
import dev.tapline.capture.v1.HttpExchange;
import dev.tapline.capture.v1.HttpRequest;
import dev.tapline.forwarder.sink.kafka.CaptureRecords;
import dev.tapline.forwarder.store.SinkOutcome;
import dev.tapline.forwarder.store.StoredCapture;
import dev.tapline.testkit.KafkaBroker;

/**
 * The indexer against a real broker, with a store that takes writes on a thread of its own (as the store writer
 * does) and fails one of them: with a batch always in flight while the next is polled, every record still arrives,
 * each connection's in order, the failed batch (and the one queued behind it) is polled again, and the offsets
 * committed at the end are the topic's end.
 */
class CapturesIndexerTest {
    private static final String TOPIC = "indexer-test";
    private static final int PARTITIONS = 3;
    private static final int CONNECTIONS = 12;
    private static final int PER_CONNECTION = 250;

    private static KafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaBroker.start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get();
        }
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void everyRecordArrivesInOrderPerConnectionThroughAFailedWrite() throws Exception {
        Map<String, byte[]> published = publish();
        List<StoredCapture> stored = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger writes = new AtomicInteger();
        ExecutorService storeWriter = Executors.newSingleThreadExecutor();
        CapturesIndexer indexer = new CapturesIndexer(consumer(), TOPIC, new KafkaRecords(new ObjectMapper()),
                rows -> CompletableFuture.supplyAsync(() -> {
                    if (writes.incrementAndGet() == 3) {
                        throw new IllegalStateException("disk full (injected)");
                    }
                    stored.addAll(rows);
                    return rows.stream().map(r -> SinkOutcome.STORED).toList();
                }, storeWriter));
        try {
            indexer.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (distinctIds(stored).size() < published.size() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        } finally {
            indexer.close();
            storeWriter.shutdown();
        }

        assertThat(writes.get()).as("batches written (small polls: many in flight)").isGreaterThan(10);
        assertThat(distinctIds(stored)).containsExactlyInAnyOrderElementsOf(published.keySet());
        for (StoredCapture row : stored) {
            assertThat(row.record()).as("the record's bytes are stored as published").isEqualTo(published.get(row.id()));
            assertThat(row.appLabel()).isEqualTo("shop");
        }
        // per connection, the first time each exchange arrives is in the order it was published
        Map<String, List<Integer>> firstSeen = new HashMap<>();
        for (String id : distinctIds(stored)) {
            String[] parts = id.split("-");
            firstSeen.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(Integer.parseInt(parts[1]));
        }
        firstSeen.values().forEach(seq -> assertThat(seq).isSorted());
        assertThat(committed()).as("offsets committed after the last store write").isEqualTo(endOffsets());
    }

    private static Set<String> distinctIds(List<StoredCapture> stored) {
        synchronized (stored) {
            Set<String> ids = new LinkedHashSet<>();
            stored.forEach(r -> ids.add(r.id()));
            return ids;
        }
    }

    /** CONNECTIONS connections of PER_CONNECTION exchanges, interleaved, keyed as the Kafka sink keys them. */
    private static Map<String, byte[]> publish() throws Exception {
        Map<String, byte[]> published = new HashMap<>();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            for (int n = 0; n < PER_CONNECTION; n++) {
                for (int cid = 0; cid < CONNECTIONS; cid++) {
                    String id = "c" + cid + "-" + n;
                    byte[] value = Capture.newBuilder().setId(id).setProxyId("p1").setRequestStartUnixNanos(1_000 + n)
                            .setHttp(HttpExchange.newBuilder().setRequest(HttpRequest.newBuilder().setMethod("GET")
                                    .setTarget("/items/" + n)))
                            .build().toByteArray();
                    published.put(id, value);
                    ProducerRecord<String, byte[]> record = new ProducerRecord<>(TOPIC, "p1/c" + cid, value);
                    record.headers().add(CaptureRecords.CONTENT_TYPE, CaptureRecords.PROTOBUF.getBytes(StandardCharsets.UTF_8));
                    record.headers().add(CaptureRecords.APP_LABEL, "shop".getBytes(StandardCharsets.UTF_8));
                    producer.send(record);
                }
            }
            producer.flush();
        }
        return published;
    }

    private static KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "indexer-test", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "50"),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static Map<TopicPartition, Long> committed() {
        try (KafkaConsumer<String, byte[]> c = consumer()) {
            Map<TopicPartition, Long> out = new HashMap<>();
            c.committed(partitions()).forEach((tp, o) -> out.put(tp, o == null ? null : o.offset()));
            return out;
        }
    }

    private static Map<TopicPartition, Long> endOffsets() {
        try (KafkaConsumer<String, byte[]> c = consumer()) {
            return new HashMap<>(c.endOffsets(partitions()));
        }
    }

    private static Set<TopicPartition> partitions() {
        Set<TopicPartition> all = new LinkedHashSet<>();
        for (int i = 0; i < PARTITIONS; i++) {
            all.add(new TopicPartition(TOPIC, i));
        }
        return all;
    }
}
