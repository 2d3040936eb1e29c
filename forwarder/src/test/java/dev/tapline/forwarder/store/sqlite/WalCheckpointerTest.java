package dev.tapline.forwarder.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tapline.forwarder.store.CaptureQuery;
import dev.tapline.forwarder.store.SinkOutcome;
import dev.tapline.forwarder.store.StoredCapture;

/**
 * The WAL's pages reach {@code captures.db} by the checkpoint thread, well before the writer's own automatic
 * checkpoint would start ({@link WalCheckpointer#WRITER_FALLBACK_PAGES}), and what was stored reads back.
 */
class WalCheckpointerTest {
    private static final int RECORD = 2048;

    @TempDir
    Path dir;

    @Test
    void committedPagesAreCopiedIntoTheDatabaseFileByTheCheckpointThread() {
        SqliteDatabase db = SqliteDatabase.open(dir);
        long fresh = size(db.file());
        // 8 MiB of records, far below the writer's fallback (4000 pages of 16 KiB = 64 MiB of WAL)
        try (SqliteCaptureSink sink = new SqliteCaptureSink(db, SqliteCaptureSink.SEGMENT_BYTES,
                SqliteCaptureSink.SEGMENT_RECORD_BYTES, 1L << 20);
                SqliteCaptureReader reader = new SqliteCaptureReader(db, 1)) {
            for (int batch = 0; batch < 32; batch++) {
                assertThat(sink.store(rows(batch, 128))).containsOnly(SinkOutcome.STORED);
            }

            Awaitility.await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(size(db.file())).isGreaterThan(fresh + (6L << 20)));
            assertThat(reader.find(CaptureQuery.newest(5000)).size()).isEqualTo(32 * 128);
            assertThat(reader.byId("ck-0-0").orElseThrow().record()).isEqualTo(record(0));
        }
    }

    /** 12 MiB of records: past SQLite's default automatic checkpoint (1000 pages), not past the writer's fallback. */
    @Test
    void theWriterDoesNotCheckpointItselfBelowItsFallback() throws Exception {
        SqliteDatabase db = SqliteDatabase.open(dir);
        long fresh = size(db.file());
        try (SqliteCaptureSink sink = new SqliteCaptureSink(db, SqliteCaptureSink.SEGMENT_BYTES,
                SqliteCaptureSink.SEGMENT_RECORD_BYTES, 64L << 20)) {
            for (int batch = 0; batch < 48; batch++) {
                sink.store(rows(batch, 128));
            }
            Thread.sleep(500);
            assertThat(size(db.file())).isEqualTo(fresh);
        }
    }

    private static List<StoredCapture> rows(int batch, int n) {
        List<StoredCapture> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(new StoredCapture("ck-" + batch + "-" + i, batch * n + i, "p", "app", "p", "c", "GET", 200,
                    "/", record(batch * n + i)));
        }
        return rows;
    }

    private static byte[] record(int n) {
        byte[] record = new byte[RECORD];
        record[0] = (byte) n;
        record[RECORD - 1] = (byte) (n >> 8);
        return record;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
