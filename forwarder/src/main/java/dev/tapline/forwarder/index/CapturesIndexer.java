package dev.tapline.forwarder.index;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
 *   poll and decode batch n+1 (while the store writer commits batch n)
 *   batch n durable? --yes--&gt; batch n+1 to the store writer, then commitSync(offsets after batch n)
 *                    '--failed--&gt; seek back to the first offsets of batches n and n+1, wait 1 s, poll again
 * </pre>
 *
 * So this thread decodes while the store writer commits, instead of the two taking turns (the two cost about the
 * same per record), and batches still reach the store one after the other, in the topic's order.
 */
final class CapturesIndexer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CapturesIndexer.class);
    private static final Duration IDLE_POLL = Duration.ofMillis(500);

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

    /** A polled batch as rows: where each partition's records began, and the offsets to commit after it. */
    private record Polled(List<StoredCapture> rows, Map<TopicPartition, Long> first,
            Map<TopicPartition, OffsetAndMetadata> next) {
    }

    /** A polled batch handed to the store writer. */
    private record InFlight(Polled batch, CompletableFuture<List<SinkOutcome>> stored) {
    }

    private void run() {
        InFlight pending = null;
        InFlight durable = null; // stored, its offsets not committed yet
        try {
            consumer.subscribe(List.of(topic));
            while (running) {
                Polled next = null;
                try {
                    // with a batch in the store writer, take what is already fetched; else wait for records
                    ConsumerRecords<String, byte[]> records = consumer.poll(pending == null ? IDLE_POLL : Duration.ZERO);
                    next = records.isEmpty() ? null : decode(records);
                    if (pending != null) {
                        if (stored(pending, next)) {
                            durable = pending;
                        } else {
                            next = null;
                        }
                    }
                    pending = next == null ? null : new InFlight(next, write(next.rows()));
                    next = null;
                    if (durable != null) {
                        // after handing the next batch over: the store writes it while the broker commits these
                        consumer.commitSync(durable.batch().next());
                        durable = null;
                    }
                } catch (WakeupException e) {
                    throw e;
                } catch (KafkaException e) {
                    // Kafka away (a broker restarting, the group coordinator moving): what was stored stays stored,
                    // what was not (decoded only, or failed in the store) is polled again; keep going
                    LOG.warnf("Indexing from Kafka paused: %s", e.toString());
                    durable = null;
                    settle(pending);
                    pending = null;
                    if (next != null) {
                        rewind(next.first());
                    }
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
            commitOnClose(durable, pending);
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private Polled decode(ConsumerRecords<String, byte[]> polled) {
        List<StoredCapture> rows = new ArrayList<>(polled.count());
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        Map<TopicPartition, Long> first = new HashMap<>();
        // partition by partition, as iterating the whole poll goes: offsets once per partition, not per record
        for (TopicPartition tp : polled.partitions()) {
            List<ConsumerRecord<String, byte[]>> records = polled.records(tp);
            if (records.isEmpty()) {
                continue;
            }
            first.put(tp, records.get(0).offset());
            next.put(tp, new OffsetAndMetadata(records.get(records.size() - 1).offset() + 1));
            for (ConsumerRecord<String, byte[]> r : records) {
                try {
                    rows.add(this.records.row(r));
                } catch (IllegalArgumentException e) {
                    // a record we cannot read will not become readable: skip it, say so
                    LOG.warnf("Skipped record %s-%d@%d: %s", r.topic(), r.partition(), r.offset(), e.getMessage(),
                            LogFields.of("partition", r.partition(), "offset", r.offset()));
                }
            }
        }
        return new Polled(rows, first, next);
    }

    private CompletableFuture<List<SinkOutcome>> write(List<StoredCapture> rows) throws InterruptedException {
        return rows.isEmpty() ? CompletableFuture.completedFuture(List.of()) : store.write(rows);
    }

    /**
     * Waits for {@code done} to be durable. When the store failed it, seeks back to where it began, and to where
     * {@code polledAfter} (decoded, not yet written; or null) began, so both are polled again.
     *
     * @return whether {@code done} is stored (and {@code polledAfter} may be written)
     */
    private boolean stored(InFlight done, Polled polledAfter) throws InterruptedException {
        try {
            List<SinkOutcome> outcomes = done.stored().get();
            long dup = outcomes.stream().filter(o -> o == SinkOutcome.DUPLICATE).count();
            duplicates += dup;
            indexed += outcomes.size() - dup;
            return true;
        } catch (ExecutionException e) {
            LOG.warnf("Could not store %d captures from Kafka, polling them again: %s", done.batch().rows().size(),
                    e.getCause().getMessage());
            Map<TopicPartition, Long> again = new HashMap<>(done.batch().first());
            if (polledAfter != null) {
                polledAfter.first().forEach(again::putIfAbsent);
            }
            rewind(again);
            Thread.sleep(1000);
            return false;
        }
    }

    /** After a Kafka error: waits for the batch in flight; when the store failed it, it is polled again. */
    private void settle(InFlight pending) throws InterruptedException {
        if (pending != null) {
            try {
                pending.stored().get();
            } catch (ExecutionException e) {
                rewind(pending.batch().first());
            }
        }
    }

    /** Polls these partitions again from these offsets; one taken away meanwhile starts from its committed offset. */
    private void rewind(Map<TopicPartition, Long> offsets) {
        Set<TopicPartition> assigned = consumer.assignment();
        offsets.forEach((tp, offset) -> {
            if (assigned.contains(tp)) {
                consumer.seek(tp, offset);
            }
        });
    }

    /**
     * Closing: what is stored is committed (the batch in flight once it gets stored), so a restart does not poll it
     * again.
     */
    private void commitOnClose(InFlight durable, InFlight pending) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        try {
            if (durable != null) {
                offsets.putAll(durable.batch().next());
            }
            if (pending != null) {
                pending.stored().get(5, TimeUnit.SECONDS);
                offsets.putAll(pending.batch().next());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // not stored: polled again at the next start
        }
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets, Duration.ofSeconds(5));
        } catch (KafkaException e) {
            // not committed: polled again at the next start, and dropped there by capture id
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
