package dev.tapline.forwarder.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tapline.forwarder.facets.CaptureFacets;
import dev.tapline.forwarder.facets.EndpointStats;
import dev.tapline.forwarder.store.CaptureQuery;
import dev.tapline.forwarder.store.StoredCapture;

/** The figures straight on the SQLite store: what they add up, and that they read the covering index only. */
class TrafficStatsStoreTest {
    @TempDir
    Path dir;

    private SqliteDatabase db;
    private SqliteCaptureSink sink;
    private SqliteCaptureReader reader;
    private SqliteTrafficStats stats;

    @BeforeEach
    void open() {
        db = SqliteDatabase.open(dir.resolve("data"));
        sink = new SqliteCaptureSink(db);
        reader = new SqliteCaptureReader(db, 2);
        stats = new SqliteTrafficStats(reader);
    }

    @AfterEach
    void close() {
        sink.close();
        reader.close();
    }

    private static StoredCapture row(String id, long ts, String app, Integer status, String template, Long duration) {
        return new StoredCapture(id, ts, "p", app, "p", "c", "GET", status, template, new byte[] { 1 },
                new CaptureFacets("inbound", "http1", template, duration, 10));
    }

    @Test
    void theFiguresReadOnlyTheCoveringIndexForTheUsualFilters() {
        CaptureQuery lastHour = CaptureQuery.newest(1).between(0, 100);
        for (CaptureQuery q : List.of(lastHour, lastHour.withApp("shop"), new CaptureQuery(Optional.empty(),
                Optional.empty(), Optional.of("GET"), Optional.of(500), Optional.of(599), Optional.empty(),
                Optional.of(0L), Optional.of(100L), 1, Optional.empty(), Optional.empty(), Optional.of("/a/{id}"),
                Optional.empty()))) {
            List<String> plans = stats.plans(q);
            assertThat(plans).as(q.toString()).anyMatch(s -> s.contains("COVERING INDEX " + SqliteDatabase.TIME_INDEX));
            assertThat(plans).as(q.toString()).noneMatch(s -> s.startsWith("SCAN captures") && !s.contains("INDEX"));
        }
    }

    @Test
    void timelineAndEndpointsAddUpTheRangeOnly() {
        List<StoredCapture> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            rows.add(row("a" + i, 100 + i * 10, "shop", i < 8 ? 200 : 503, "/a/{id}", (long) i));
        }
        rows.add(row("b", 150, "shop", null, "/b", null));
        rows.add(row("late", 1000, "shop", 200, "/a/{id}", 1L)); // outside the range
        sink.store(rows);

        long[][] t = stats.timeline(CaptureQuery.newest(1).between(100, 200), 100, 50, 2);
        assertThat(t[0]).containsExactly(5, 3); // 2xx
        assertThat(t[3]).containsExactly(0, 2); // 5xx
        assertThat(t[4]).containsExactly(0, 1); // no answer

        List<EndpointStats> e = stats.endpoints(CaptureQuery.newest(1).between(100, 200), 10);
        assertThat(e).extracting(EndpointStats::template).containsExactly("/a/{id}", "/b");
        assertThat(e.get(0).count()).isEqualTo(10);
        assertThat(e.get(0).errors()).isEqualTo(2);
        assertThat(e.get(0).p50Nanos()).isEqualTo(4);
        assertThat(e.get(1).errors()).isEqualTo(1);
    }

    @Test
    void aStoreOfSchemaOneGainsTheColumnsAndKeepsItsRows() throws Exception {
        Path old = dir.resolve("old");
        SqliteDatabase fresh = SqliteDatabase.open(old);
        try (Connection c = fresh.connectWriter(); Statement s = c.createStatement()) {
            // back to schema 1: the table as the first forwarder made it, with one row
            s.execute("DROP TABLE captures");
            s.execute("CREATE TABLE captures (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, ts INTEGER NOT NULL,"
                    + " proxy_id TEXT NOT NULL, app_label TEXT NOT NULL, pod_name TEXT NOT NULL, cluster TEXT NOT NULL,"
                    + " method TEXT, status INTEGER, path TEXT, record BLOB NOT NULL)");
            s.execute("INSERT INTO captures (id, ts, proxy_id, app_label, pod_name, cluster, method, status, path, record)"
                    + " VALUES ('old-1', 5, 'p', 'shop', 'p', 'c', 'GET', 200, '/x', x'01')");
            s.execute("PRAGMA user_version = 1");
            c.commit();
        }
        SqliteDatabase upgraded = SqliteDatabase.open(old);
        try (SqliteCaptureSink s = new SqliteCaptureSink(upgraded); SqliteCaptureReader r = new SqliteCaptureReader(upgraded, 1)) {
            s.store(List.of(row("new-1", 6, "shop", 200, "/a/{id}", 1L)));
            assertThat(r.find(CaptureQuery.newest(10))).extracting(StoredCapture::id).containsExactly("new-1", "old-1");
            assertThat(new SqliteTrafficStats(r).endpoints(CaptureQuery.newest(1).between(0, 10), 10))
                    .as("the old row has no template").extracting(EndpointStats::template).containsExactly("/a/{id}");
        }
    }
}
