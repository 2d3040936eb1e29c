package dev.tapline.forwarder.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tapline.forwarder.facets.CaptureFacets;
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
    void theForwardProxysOutboundCapturesAreFoundApartFromInboundOnes() throws Exception {
        StoredCapture in = new StoredCapture("in", 1, "pod-shop", "shop", "pod-shop", "c1", "GET", 200, "/checkout",
                new byte[] {1}, new CaptureFacets("inbound", "http1", "/checkout", 5L, 0));
        StoredCapture out = new StoredCapture("out", 2, "pod-shop", "shop", "pod-shop", "c1", "GET", 200, "/stock",
                new byte[] {1}, new CaptureFacets("outbound", "http1", "/stock", 5L, 0));
        sink.store(List.of(in, out));
        CaptureQuery all = CaptureQuery.newest(10);
        CaptureQuery outbound = new CaptureQuery(all.app(), all.proxyId(), all.method(), all.statusFrom(),
                all.statusTo(), all.pathPart(), all.sinceNanos(), all.untilNanos(), 10, Optional.of("outbound"),
                Optional.empty(), Optional.empty(), Optional.empty());
        CaptureQuery inbound = new CaptureQuery(all.app(), all.proxyId(), all.method(), all.statusFrom(),
                all.statusTo(), all.pathPart(), all.sinceNanos(), all.untilNanos(), 10, Optional.of("inbound"),
                Optional.empty(), Optional.empty(), Optional.empty());

        assertThat(reader.find(outbound)).extracting(StoredCapture::id).containsExactly("out");
        assertThat(reader.find(inbound)).extracting(StoredCapture::id).containsExactly("in");
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data").resolve(SqliteDatabase.FILE_NAME));
                var r = c.createStatement().executeQuery("SELECT direction FROM captures WHERE id = 'out'")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getString(1)).isEqualTo("outbound");
        }
    }

    @Test
    void aStoreWrittenBeforeDirectionsKeepsItsCapturesAsInbound() throws Exception {
        close();
        Path old = dir.resolve("old");
        java.nio.file.Files.createDirectories(old);
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + old.resolve(SqliteDatabase.FILE_NAME));
                var s = c.createStatement()) {
            s.execute("CREATE TABLE captures (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, ts INTEGER NOT NULL,"
                    + " proxy_id TEXT NOT NULL, app_label TEXT NOT NULL, pod_name TEXT NOT NULL, cluster TEXT NOT NULL,"
                    + " method TEXT, status INTEGER, path TEXT, record BLOB NOT NULL)");
            s.execute("INSERT INTO captures (id, ts, proxy_id, app_label, pod_name, cluster, record)"
                    + " VALUES ('v1', 1, 'p', 'shop', 'p', 'c', x'01')");
            s.execute("PRAGMA user_version = 1");
        }
        SqliteDatabase db = SqliteDatabase.open(old);
        sink = new SqliteCaptureSink(db);
        reader = new SqliteCaptureReader(db, 1);
        CaptureQuery all = CaptureQuery.newest(10);
        assertThat(reader.find(new CaptureQuery(all.app(), all.proxyId(), all.method(), all.statusFrom(),
                all.statusTo(), all.pathPart(), all.sinceNanos(), all.untilNanos(), 10, Optional.of("inbound"), Optional.empty(),
                Optional.empty(), Optional.empty())))
                .extracting(StoredCapture::id).containsExactly("v1");
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

    @Test
    void findReturnsEveryMatchNewestFirstEvenMoreThanOneStatementMayBind() {
        // more ids than one statement can bind (sqlite-jdbc's SQLite takes at most 250,000 parameters): find() must
        // read them in groups
        int n = 260_000;
        List<StoredCapture> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(row("id-" + i, 1000 + i, "shop", "GET", 200, "/p"));
        }
        assertThat(sink.store(rows)).hasSize(n).containsOnly(SinkOutcome.STORED);

        List<StoredCapture> found = reader.find(CaptureQuery.newest(n + 10));

        assertThat(found).hasSize(n);
        for (int k = 0; k < n; k++) {
            assertThat(found.get(k).id()).isEqualTo("id-" + (n - 1 - k));
        }
    }

    @Test
    void everyCountOfRowsIsWrittenWithEveryColumnWhetherTheRowsShareOneSourceOrNot() {
        List<StoredCapture> rows = new ArrayList<>();
        for (int i = 0; i < 2 * 64 + 2 * 8 + 3; i++) {
            // the first 64 share proxy, app, pod and cluster (as an upload batch's rows do), row 64 starts others
            String source = i < 64 ? "" : "-" + i;
            rows.add(new StoredCapture("id-" + i, 1000 + i, "pod" + source, "app" + source, "name" + source,
                    "c" + source, i % 2 == 0 ? "GET" : null, i % 3 == 0 ? null : 200 + i, i % 2 == 0 ? "/p/" + i : null,
                    ("record " + i).getBytes()));
        }
        rows.set(100, new StoredCapture("id-100", 1100, "pod", "app", "name", "c", "PUT", 201, "/q", new byte[] { 1 }));

        assertThat(sink.store(rows)).hasSize(rows.size()).containsOnly(SinkOutcome.STORED);

        assertThat(reader.find(CaptureQuery.newest(1000))).hasSize(rows.size());
        for (StoredCapture expected : rows) {
            StoredCapture got = reader.byId(expected.id()).orElseThrow();
            assertThat(got).usingRecursiveComparison().ignoringFields("record").isEqualTo(expected);
            assertThat(got.record()).isEqualTo(expected.record());
        }
    }

    @Test
    void duplicatesAnywhereInAChunkOrAcrossCallsAreTheRowsAStatementPerRowWouldSkip() {
        Random random = new Random(42);
        Set<String> seen = new HashSet<>();
        for (int call = 0; call < 30; call++) {
            List<StoredCapture> rows = new ArrayList<>();
            List<SinkOutcome> expected = new ArrayList<>();
            int count = random.nextInt(200);
            for (int i = 0; i < count; i++) {
                String id = "id-" + random.nextInt(1500);
                rows.add(row(id, call * 1000L + i, "shop", "GET", 200, "/x"));
                expected.add(seen.add(id) ? SinkOutcome.STORED : SinkOutcome.DUPLICATE);
            }

            assertThat(sink.store(rows)).as("call %d", call).containsExactlyElementsOf(expected);
        }
        assertThat(reader.find(CaptureQuery.newest(1000))).hasSize(Math.min(1000, seen.size()));
    }

    @Test
    void whenRetentionDeletedTheRowWithTheLargestSeqItsSeqIsReusedAndTheOutcomesAreStillRight() {
        sink.store(List.of(row("a", 100, "shop", "GET", 200, "/x"),
                row("b", 1, "shop", "GET", 200, "/x")));
        assertThat(sink.deleteOlderThan(50, 10)).isEqualTo(1); // "b", the largest seq

        List<StoredCapture> rows = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            rows.add(row(i == 5 ? "a" : i == 66 ? "b" : "r" + i, 200 + i, "shop", "GET", 200, "/x"));
        }
        List<SinkOutcome> outcomes = sink.store(rows);

        assertThat(outcomes.get(5)).isEqualTo(SinkOutcome.DUPLICATE);
        assertThat(outcomes.get(66)).isEqualTo(SinkOutcome.STORED);
        assertThat(outcomes).filteredOn(o -> o == SinkOutcome.DUPLICATE).hasSize(1);
        assertThat(reader.byId("b").orElseThrow().tsNanos()).isEqualTo(266);
    }
}
