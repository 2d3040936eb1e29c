package dev.tapline.forwarder.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tapline.forwarder.store.sqlite.SqliteCaptureReader;
import dev.tapline.forwarder.store.sqlite.SqliteCaptureSink;
import dev.tapline.forwarder.store.sqlite.SqliteDatabase;
import dev.tapline.forwarder.testing.MutableClock;

class RetentionTest {
    private static final Instant NOW = Instant.parse("2026-03-01T00:00:00Z");

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(NOW);
    private SqliteCaptureSink sink;
    private SqliteCaptureReader reader;

    @BeforeEach
    void open() {
        SqliteDatabase db = SqliteDatabase.open(dir);
        sink = new SqliteCaptureSink(db);
        reader = new SqliteCaptureReader(db, 1);
    }

    @AfterEach
    void close() {
        sink.close();
        reader.close();
    }

    private void storeOnePerHour(int hours, int bodyBytes) {
        List<StoredCapture> rows = new ArrayList<>();
        for (int h = hours; h >= 1; h--) {
            long ts = Retention.toNanos(NOW.minus(Duration.ofHours(h)));
            rows.add(new StoredCapture("h" + h, ts, "p", "shop", "p", "c", "GET", 200, "/", new byte[bodyBytes]));
        }
        sink.store(rows);
    }

    private List<String> ids() {
        return reader.find(CaptureQuery.newest(1000)).stream().map(StoredCapture::id).toList();
    }

    @Test
    void capturesOlderThanTheAgeLimitAreDeletedInChunks() {
        storeOnePerHour(48, 100);
        Retention retention = new Retention(sink, clock, Duration.ofHours(24).plusMinutes(30), 0, 10);

        Retention.Step first = retention.step();
        Retention.Step rest = retention.runToEnd();

        assertThat(first).isEqualTo(new Retention.Step(10, 0, true));
        assertThat(first.byAge() + rest.byAge()).isEqualTo(24);
        assertThat(ids()).hasSize(24).first().isEqualTo("h1");
        assertThat(ids()).last().isEqualTo("h24");
    }

    @Test
    void theOldestCapturesGoWhileTheStoreIsLargerThanTheSizeLimit() {
        storeOnePerHour(300, 4096);
        long limit = sink.usedBytes() / 3;
        Retention retention = new Retention(sink, clock, Duration.ZERO, limit, 25);

        Retention.Step done = retention.runToEnd();

        assertThat(sink.usedBytes()).isLessThanOrEqualTo(limit);
        assertThat(done.bySize()).isBetween(150, 275);
        List<String> kept = ids();
        assertThat(kept).first().isEqualTo("h1");
        assertThat(kept).hasSize(300 - done.bySize()).last().isEqualTo("h" + kept.size());
    }

    @Test
    void withoutLimitsNothingIsDeleted() {
        storeOnePerHour(5, 10);
        clock.advance(Duration.ofDays(3650));
        Retention retention = new Retention(sink, clock, Duration.ZERO, 0, 10);

        assertThat(retention.enabled()).isFalse();
        assertThat(retention.step()).isEqualTo(new Retention.Step(0, 0, false));
        assertThat(ids()).hasSize(5);
    }
}
