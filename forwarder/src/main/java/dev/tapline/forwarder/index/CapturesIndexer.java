package dev.tapline.forwarder.index;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import dev.tapline.common.log.LogFields;
import dev.tapline.forwarder.store.CaptureDestination;
import dev.tapline.forwarder.store.SinkOutcome;
import dev.tapline.forwarder.store.StoredCapture;

/**
 * INDEX_FROM_KAFKA: the captures topic into the embedded store, in the indexer's own consumer group. Offsets are
 * committed only after the store's durable commit, like a Kafka Connect sink task, so a crash replays what was not
 * yet stored; the store drops what it already has by capture id (replays, producer retries, proxy resends).
 *
 * <pre>
 *   poll --&gt; rows --&gt; store writer (group commit) --durable--&gt; commitSync(offsets after the polled records)
 *                                 '--failed--&gt; seek back to the first polled offsets, wait 1 s, poll again
 * </pre>
 */
final class CapturesIndexer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CapturesIndexer.class);

    private final Consumer<String, byte[]> consumer;
    private final String topic;
    private final KafkaRecords records;
    private final CaptureDestination store;
    private final Thread thread;
    private volatile boolean running = true;
    private long indexed;
    private long duplicates;

    CapturesIndexer(Consumer<String, byte[]> consumer, String topic, KafkaRecords records, CaptureDestination store) {
        this.consumer = consumer;
        this.topic = topic;
        this.records = records;
        this.store = store;
        this.thread = new Thread(this::run, "kafka-indexer");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        try {
            consumer.subscribe(List.of(topic));
            while (running) {
                try {
                    ConsumerRecords<String, byte[]> polled = consumer.poll(Duration.ofMillis(500));
                    if (!polled.isEmpty()) {
                        index(polled);
                    }
                } catch (WakeupException e) {
                    throw e;
                } catch (KafkaException e) {
                    // Kafka away (a broker restarting, the group coordinator moving): what was stored stays stored,
                    // what was not committed is polled again and dropped as a duplicate; keep going
                    LOG.warnf("Indexing from Kafka paused: %s", e.toString());
                    Thread.sleep(1000);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.errorf(e, "The indexer stopped: %s", e.getMessage());
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void index(ConsumerRecords<String, byte[]> polled) throws InterruptedException {
        List<StoredCapture> rows = new ArrayList<>(polled.count());
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        Map<TopicPartition, Long> first = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : polled) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            first.putIfAbsent(tp, r.offset());
            next.put(tp, new OffsetAndMetadata(r.offset() + 1));
            try {
                rows.add(records.row(r));
            } catch (IllegalArgumentException e) {
                // a record we cannot read will not become readable: skip it, say so
                LOG.warnf("Skipped record %s-%d@%d: %s", r.topic(), r.partition(), r.offset(), e.getMessage(),
                        LogFields.of("partition", r.partition(), "offset", r.offset()));
            }
        }
        try {
            List<SinkOutcome> outcomes = rows.isEmpty() ? List.of() : store.write(rows).get();
            long dup = outcomes.stream().filter(o -> o == SinkOutcome.DUPLICATE).count();
            duplicates += dup;
            indexed += outcomes.size() - dup;
            consumer.commitSync(next);
        } catch (ExecutionException e) {
            LOG.warnf("Could not store %d captures from Kafka, polling them again: %s", rows.size(),
                    e.getCause().getMessage());
            first.forEach(consumer::seek);
            Thread.sleep(1000);
        }
    }

    /** Captures stored and duplicates dropped so far. */
    String progress() {
        return indexed + " stored, " + duplicates + " duplicates dropped";
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
