package dev.tapline.forwarder.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tapline.forwarder.store.CaptureQuery;
import dev.tapline.forwarder.store.SinkOutcome;
import dev.tapline.forwarder.store.StoredCapture;

class SqliteStoreTest {
    @TempDir
    Path dir;

    private SqliteCaptureSink sink;
    private SqliteCaptureReader reader;

    @BeforeEach
    void open() {
        SqliteDatabase db = SqliteDatabase.open(dir.resolve("data"));
        sink = new SqliteCaptureSink(db);
        reader = new SqliteCaptureReader(db, 2);
    }

    @AfterEach
    void close() {
        sink.close();
        reader.close();
    }

    static StoredCapture row(String id, long ts, String app, String method, Integer status, String path) {
        return new StoredCapture(id, ts, "pod-" + app, app, "pod-" + app, "c1", method, status, path,
                ("record of " + id).getBytes());
    }

    @Test
    void aCaptureIdIsStoredOnceWhetherRepeatedInOneBatchOrSentAgain() {
        List<SinkOutcome> first = sink.store(List.of(row("a", 1, "shop", "GET", 200, "/x"),
                row("b", 2, "shop", "GET", 200, "/x"), row("a", 3, "shop", "GET", 200, "/x")));
        List<SinkOutcome> resend = sink.store(List.of(row("b", 2, "shop", "GET", 200, "/x"),
                row("c", 4, "shop", "GET", 200, "/x")));

        assertThat(first).containsExactly(SinkOutcome.STORED, SinkOutcome.STORED, SinkOutcome.DUPLICATE);
        assertThat(resend).containsExactly(SinkOutcome.DUPLICATE, SinkOutcome.STORED);
        assertThat(reader.find(CaptureQuery.newest(10))).extracting(StoredCapture::id).containsExactly("c", "b", "a");
        assertThat(reader.byId("a").orElseThrow().tsNanos()).isEqualTo(1);
        assertThat(new String(reader.byId("a").orElseThrow().record())).isEqualTo("record of a");
    }

    @Test
    void filtersCombineAndResultsComeNewestFirstUpToTheLimit() {
        List<StoredCapture> rows = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            rows.add(row("s" + i, 1000 + i, "shop", i % 2 == 0 ? "GET" : "POST", i % 3 == 0 ? 500 : 200,
                    "/orders/" + i));
        }
        rows.add(row("conn", 2000, "shop", null, null, null));
        rows.add(row("other", 3000, "billing", "GET", 200, "/orders/1"));
        sink.store(rows);
        CaptureQuery shop = CaptureQuery.newest(100).withApp("shop");

        assertThat(reader.find(shop)).hasSize(31).first().extracting(StoredCapture::id).isEqualTo("conn");
        assertThat(reader.find(new CaptureQuery(Optional.of("shop"), Optional.empty(), Optional.of("POST"),
                Optional.of(500), Optional.of(599), Optional.empty(), Optional.empty(), Optional.empty(), 100)))
                .extracting(StoredCapture::id).containsExactly("s27", "s21", "s15", "s9", "s3");
        assertThat(reader.find(new CaptureQuery(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(200), Optional.of(200), Optional.of("ders/1"), Optional.of(1011L), Optional.of(1020L), 2)))
                .extracting(StoredCapture::id).containsExactly("s19", "s17");
        assertThat(reader.find(new CaptureQuery(Optional.empty(), Optional.of("pod-billing"), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 5)))
                .extracting(StoredCapture::id).containsExactly("other");
        assertThat(reader.byId("nope")).isEmpty();
    }

    @Test
    void theNewestCapturesOfOneAppAreReadFromAnIndexWithoutSorting() {
        List<String> plan = reader.plan(CaptureQuery.newest(100).withApp("shop"));

        assertThat(plan).anyMatch(step -> step.contains("USING INDEX captures_app_ts"));
        assertThat(plan).noneMatch(step -> step.contains("TEMP B-TREE"));
    }

    @Test
    void sizeIsMeasuredAndGrowsWithWhatIsStored() {
        long empty = sink.usedBytes();
        List<StoredCapture> rows = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            rows.add(new StoredCapture("big" + i, i, "p", "a", "p", "c", "GET", 200, "/", new byte[2048]));
        }
        sink.store(rows);

        assertThat(sink.usedBytes()).isGreaterThan(empty + 200 * 2048);
        assertThat(sink.sizeBytes()).isEqualTo(sink.usedBytes());
    }
}
