package dev.tapline.forwarder.sink.kafka;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import dev.tapline.forwarder.store.CaptureDestination;
import dev.tapline.forwarder.store.SinkOutcome;
import dev.tapline.forwarder.store.StoredCapture;

/**
 * SINK=kafka: publishes each capture of a batch and completes the batch once Kafka acked every record of it.
 *
 * <pre>
 *   ingest thread --send(record) x N--&gt; producer (acks=all, idempotent) --acks (producer I/O thread)--&gt;
 *       last ack of the batch --&gt; future completes --&gt; the proxy's batch is acked
 *       any record failed (delivery.timeout.ms passed, not authorised) --&gt; future fails --&gt; not acked, resent
 * </pre>
 *
 * {@code send} waits while the producer's buffer is full or the topic's metadata is unknown (max.block.ms): that
 * is where an unavailable Kafka pushes back on the ingest, and through its flow control on the proxies. Batches of
 * one upload stream are sent by one thread at a time in arrival order, and one connection's records share a key,
 * so the idempotent producer keeps them in order in their partition. Every record is {@link SinkOutcome#STORED}:
 * duplicates (a proxy resending an unacked batch) are the indexer's to drop, by capture id.
 */
public final class KafkaSink implements CaptureDestination {
    private final Producer<String, byte[]> producer;
    private final CaptureRecords records;
    private final KafkaLink link;

    public KafkaSink(Producer<String, byte[]> producer, CaptureRecords records, KafkaLink link) {
        this.producer = producer;
        this.records = records;
        this.link = link;
    }

    @Override
    public CompletableFuture<List<SinkOutcome>> write(List<StoredCapture> rows) {
        CompletableFuture<List<SinkOutcome>> done = new CompletableFuture<>();
        List<ProducerRecord<String, byte[]>> batch = new ArrayList<>(rows.size());
        for (StoredCapture row : rows) {
            batch.add(records.of(row));
        }
        AtomicInteger left = new AtomicInteger(batch.size());
        link.sending(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            try {
                producer.send(batch.get(i), (metadata, failure) -> {
                    if (failure != null) {
                        link.failed(1, failure.toString());
                        done.completeExceptionally(failure);
                    } else {
                        link.acked(1);
                    }
                    if (left.decrementAndGet() == 0 && !done.isDone()) {
                        done.complete(Collections.nCopies(rows.size(), SinkOutcome.STORED));
                    }
                });
            } catch (RuntimeException e) {
                // send refused before the record was queued (metadata not there in max.block.ms, too large, closed)
                int notSent = batch.size() - i;
                link.failed(notSent, e.toString());
                done.completeExceptionally(e);
                left.addAndGet(-notSent);
                break;
            }
        }
        return done;
    }
}
