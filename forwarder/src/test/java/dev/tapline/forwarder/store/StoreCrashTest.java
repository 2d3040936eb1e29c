package dev.tapline.forwarder.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tapline.forwarder.store.sqlite.SqliteCaptureReader;
import dev.tapline.forwarder.store.sqlite.SqliteCaptureSink;
import dev.tapline.forwarder.store.sqlite.SqliteDatabase;

/** An acked capture survives {@code kill -9}: a real process writes, is killed mid-stream, the store is reopened. */
class StoreCrashTest {
    @TempDir
    Path dir;

    @Test
    void everyCaptureAckedBeforeAKill9IsThereAfterReopening() throws Exception {
        int acked = writeUntilKilled(512, 20);

        SqliteDatabase reopened = SqliteDatabase.open(dir);
        try (SqliteCaptureReader reader = new SqliteCaptureReader(reopened, 1);
                SqliteCaptureSink sink = new SqliteCaptureSink(reopened)) {
            for (int n : List.of(0, acked / 2, acked - 1)) {
                assertThat(reader.byId(CrashingWriter.id(n))).as("capture %d", n).isPresent();
            }
            assertThat(reader.find(CaptureQuery.newest(1000).withApp("app")).size()).isEqualTo(1000);
            List<SinkOutcome> again = sink.store(List.of(new StoredCapture(CrashingWriter.id(acked - 1), 0, "p",
                    "app", "p", "c", "GET", 200, "/", new byte[1])));
            assertThat(again).containsExactly(SinkOutcome.DUPLICATE);
        }
    }

    /**
     * With 64 KiB records, kept in segment files: the kill lands between a batch's bodies and its rows as often as
     * not. Every acked capture is back with its own bytes, every row found points at a whole record, and the
     * store takes new captures.
     */
    @Test
    void largeRecordsAckedBeforeAKill9AreThereWholeAfterReopening() throws Exception {
        int size = 64 * 1024;
        int acked = writeUntilKilled(size, 20);

        SqliteDatabase reopened = SqliteDatabase.open(dir);
        try (SqliteCaptureReader reader = new SqliteCaptureReader(reopened, 1);
                SqliteCaptureSink sink = new SqliteCaptureSink(reopened)) {
            List<StoredCapture> all = reader.find(CaptureQuery.newest(100_000));
            assertThat(all.size()).isGreaterThanOrEqualTo(acked);
            for (StoredCapture c : all) {
                int n = Integer.parseInt(c.id().substring("crash-".length()));
                assertThat(c.record()).as("capture %d", n).isEqualTo(CrashingWriter.record(n, size));
            }
            assertThat(reader.byId(CrashingWriter.id(acked - 1))).isPresent();
            int next = all.size();
            assertThat(sink.store(List.of(new StoredCapture(CrashingWriter.id(next), next, "p", "app", "p", "c", "GET",
                    200, "/", CrashingWriter.record(next, size))))).containsExactly(SinkOutcome.STORED);
            assertThat(reader.byId(CrashingWriter.id(next)).orElseThrow().record())
                    .isEqualTo(CrashingWriter.record(next, size));
        }
    }

    /**
     * With 4 KiB records in their rows, 20 MiB of them: the WAL is checkpointed into the database file by its own
     * thread ({@code WalCheckpointer}, every 8 MiB) while the writer goes on, and the kill can land in a
     * checkpoint. Every acked capture is back whole, and the database file did receive pages before the kill (the
     * writer's own checkpoint would have waited for 64 MiB of WAL).
     */
    @Test
    void rowsAckedBeforeAKill9DuringCheckpointsAreThereWholeAfterReopening() throws Exception {
        int size = 4096;
        int acked = writeUntilKilled(size, 100);
        assertThat(Files.size(dir.resolve("captures.db"))).as("checkpointed before the kill")
                .isGreaterThan(4L << 20);

        SqliteDatabase reopened = SqliteDatabase.open(dir);
        try (SqliteCaptureReader reader = new SqliteCaptureReader(reopened, 1)) {
            for (int n = 0; n < acked; n += 97) {
                assertThat(reader.byId(CrashingWriter.id(n)).orElseThrow().record()).as("capture %d", n)
                        .isEqualTo(CrashingWriter.record(n, size));
            }
            assertThat(reader.byId(CrashingWriter.id(acked - 1)).orElseThrow().record())
                    .isEqualTo(CrashingWriter.record(acked - 1, size));
        }
    }

    /**
     * Runs {@link CrashingWriter} until it has acked {@code batches} batches, kills it with SIGKILL; returns the
     * captures acked.
     */
    private int writeUntilKilled(int recordBytes, int batches) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, CrashingWriter.class.getName(), dir.toString(), String.valueOf(recordBytes))
                .redirectErrorStream(true).start();
        int acked = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while (acked < batches * CrashingWriter.BATCH && (line = out.readLine()) != null) {
                if (line.startsWith("ACKED ")) {
                    acked = Integer.parseInt(line.substring(6).trim());
                }
            }
            writer.destroyForcibly(); // SIGKILL: no shutdown hook, no close, no checkpoint
            assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(acked).as("acks seen before the kill").isGreaterThanOrEqualTo(batches * CrashingWriter.BATCH);
        return acked;
    }
}
