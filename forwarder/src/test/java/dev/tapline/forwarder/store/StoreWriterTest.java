package dev.tapline.forwarder.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StoreWriterTest {
    private final CountDownLatch gate = new CountDownLatch(1);
    private final List<List<String>> calls = new CopyOnWriteArrayList<>();
    private volatile boolean failing;
    private final StoreStatus status = new StoreStatus();

    /** Records each call; the first one waits for the gate. Ids starting with "dup" come back as duplicates. */
    private final CaptureSink sink = records -> {
        calls.add(records.stream().map(StoredCapture::id).toList());
        try {
            gate.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failing) {
            throw new StoreException("disk full");
        }
        return records.stream().map(r -> r.id().startsWith("dup") ? SinkOutcome.DUPLICATE : SinkOutcome.STORED).toList();
    };

    private StoreWriter writer;

    @AfterEach
    void close() {
        gate.countDown();
        writer.close();
    }

    private static List<StoredCapture> rows(String... ids) {
        List<StoredCapture> out = new ArrayList<>();
        for (String id : ids) {
            out.add(new StoredCapture(id, 0, "p", "a", "p", "c", "GET", 200, "/", new byte[0]));
        }
        return out;
    }

    @Test
    void batchesWaitingTogetherAreCommittedTogetherAndEachGetsItsOwnOutcomes() throws Exception {
        writer = new StoreWriter(sink, status, 8, 100);
        CompletableFuture<List<SinkOutcome>> first = writer.write(rows("a"));
        await().until(() -> calls.size() == 1);
        CompletableFuture<List<SinkOutcome>> second = writer.write(rows("b", "dup-c"));
        CompletableFuture<List<SinkOutcome>> third = writer.write(rows("d"));

        gate.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).containsExactly(SinkOutcome.STORED);
        assertThat(second.get(10, TimeUnit.SECONDS)).containsExactly(SinkOutcome.STORED, SinkOutcome.DUPLICATE);
        assertThat(third.get(10, TimeUnit.SECONDS)).containsExactly(SinkOutcome.STORED);
        assertThat(calls).containsExactly(List.of("a"), List.of("b", "dup-c", "d"));
    }

    @Test
    void batchesArrivingWithinTheLingerShareOneCommitUpToTheGroupSize() throws Exception {
        writer = new StoreWriter(sink, status, 8, 100, Duration.ofMillis(400));
        gate.countDown();

        CompletableFuture<List<SinkOutcome>> first = writer.write(rows("a"));
        Thread.sleep(30); // well inside the linger: "b" joins "a"'s group
        CompletableFuture<List<SinkOutcome>> second = writer.write(rows("b"));
        first.get(10, TimeUnit.SECONDS);
        second.get(10, TimeUnit.SECONDS);
        assertThat(calls).containsExactly(List.of("a", "b"));

        // a batch that would take the group past 100 records waits for the next commit, and is not lost
        CompletableFuture<List<SinkOutcome>> sixty = writer.write(rows(ids("x", 60)));
        Thread.sleep(30);
        CompletableFuture<List<SinkOutcome>> sixtyMore = writer.write(rows(ids("y", 60)));
        assertThat(sixty.get(10, TimeUnit.SECONDS)).hasSize(60);
        assertThat(sixtyMore.get(10, TimeUnit.SECONDS)).hasSize(60);
        assertThat(calls).hasSize(3);
        assertThat(calls.get(1)).containsExactly(ids("x", 60));
        assertThat(calls.get(2)).containsExactly(ids("y", 60));
    }

    @Test
    void aFullGroupIsCommittedWithoutWaitingOutTheLinger() throws Exception {
        writer = new StoreWriter(sink, status, 8, 3, Duration.ofSeconds(30));
        gate.countDown();

        CompletableFuture<List<SinkOutcome>> two = writer.write(rows("a", "b"));
        CompletableFuture<List<SinkOutcome>> one = writer.write(rows("c"));

        assertThat(two.get(10, TimeUnit.SECONDS)).hasSize(2);
        assertThat(one.get(10, TimeUnit.SECONDS)).hasSize(1);
        assertThat(calls).containsExactly(List.of("a", "b", "c"));
    }

    private static String[] ids(String prefix, int n) {
        String[] ids = new String[n];
        for (int i = 0; i < n; i++) {
            ids[i] = prefix + i;
        }
        return ids;
    }

    @Test
    void aFullQueueHoldsTheNextBatchBackUntilTheStoreMoves() throws Exception {
        writer = new StoreWriter(sink, status, 1, 100);
        writer.write(rows("a"));
        await().until(() -> calls.size() == 1);
        writer.write(rows("b"));
        CompletableFuture<CompletableFuture<List<SinkOutcome>>> handedOver = new CompletableFuture<>();
        Thread producer = new Thread(() -> {
            try {
                handedOver.complete(writer.write(rows("c")));
            } catch (InterruptedException e) {
                handedOver.completeExceptionally(e);
            }
        });
        producer.start();

        await().until(() -> producer.getState() == Thread.State.WAITING);
        assertThat(handedOver).isNotDone();
        gate.countDown();

        assertThat(handedOver.get(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS)).containsExactly(SinkOutcome.STORED);
    }

    @Test
    void aFailedWriteFailsItsBatchesAndMarksTheStoreUntilAWriteWorks() throws Exception {
        writer = new StoreWriter(sink, status, 4, 100);
        failing = true;
        gate.countDown();

        CompletableFuture<List<SinkOutcome>> lost = writer.write(rows("a"));

        assertThatThrownBy(() -> lost.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(StoreException.class).hasMessageContaining("disk full");
        assertThat(status.lastFailure()).isEqualTo("disk full");
        failing = false;
        writer.write(rows("b")).get(10, TimeUnit.SECONDS);
        assertThat(status.lastFailure()).isNull();
    }

    @Test
    void maintenanceRunsOnTheWriterThreadBetweenWrites() throws Exception {
        writer = new StoreWriter(sink, status, 4, 100);
        gate.countDown();
        CompletableFuture<String> thread = new CompletableFuture<>();

        writer.submitMaintenance(() -> thread.complete(Thread.currentThread().getName()));

        assertThat(thread.get(10, TimeUnit.SECONDS)).isEqualTo("store-writer");
    }
}
