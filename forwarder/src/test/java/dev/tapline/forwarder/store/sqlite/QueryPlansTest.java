package dev.tapline.forwarder.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tapline.forwarder.store.CaptureQuery;

/**
 * Every query the store runs walks an index, newest first, and stops after its limit: no scan of the table, no sort
 * of what matched. The plans are SQLite's own ({@code EXPLAIN QUERY PLAN}), so a change to the indexes that makes a
 * filter slow on a million captures fails here, not in production.
 */
class QueryPlansTest {
    @TempDir
    Path dir;

    private SqliteCaptureReader reader;

    @BeforeEach
    void open() {
        reader = new SqliteCaptureReader(SqliteDatabase.open(dir), 1);
    }

    @AfterEach
    void close() {
        reader.close();
    }

    private static CaptureQuery query(Optional<String> app, Optional<String> proxy, Optional<String> method,
            Optional<Integer> status, Optional<Long> until, Optional<String> direction, Optional<String> template) {
        return new CaptureQuery(app, proxy, method, status, status, Optional.empty(), Optional.empty(), until, 100,
                direction, Optional.empty(), template, Optional.empty());
    }

    @Test
    void theSearchWalksAnIndexNewestFirstForEveryMainFilter() {
        Optional<String> none = Optional.empty();
        List<CaptureQuery> queries = List.of(CaptureQuery.newest(100),
                CaptureQuery.newest(100).withApp("shop"),
                CaptureQuery.newest(100).between(0, 1_000),
                query(none, Optional.of("proxy-1"), none, Optional.empty(), Optional.empty(), none, none),
                query(none, none, Optional.of("POST"), Optional.empty(), Optional.empty(), none, none),
                query(none, none, none, Optional.of(503), Optional.empty(), none, none),
                query(none, none, none, Optional.empty(), Optional.of(1_000L), none, none), // the next page
                query(none, none, none, Optional.empty(), Optional.empty(), Optional.of("outbound"), none),
                query(none, none, none, Optional.empty(), Optional.empty(), none, Optional.of("/items/{id}")),
                query(Optional.of("shop"), none, Optional.of("GET"), Optional.of(200), Optional.of(1_000L), none,
                        none));
        for (CaptureQuery q : queries) {
            assertWalksAnIndexWithoutSorting(reader.plan(q), q.toString());
        }
    }

    @Test
    void retentionDeletesTheOldestFromAnIndex() {
        assertWalksAnIndexWithoutSorting(reader.explain(SqliteCaptureSink.DELETE_OLDEST, List.of(100)), "oldest");
        assertWalksAnIndexWithoutSorting(reader.explain(SqliteCaptureSink.DELETE_OLDER, List.of(1_000L, 100)),
                "older than");
    }

    @Test
    void aStoreOfSchema3IsUpgradedInPlaceToOneTimeIndexAndKeepsItsCaptures() throws Exception {
        close();
        Path old = dir.resolve("old");
        Files.createDirectories(old);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + old.resolve(SqliteDatabase.FILE_NAME));
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE captures (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, ts INTEGER NOT NULL,"
                    + " proxy_id TEXT NOT NULL, app_label TEXT NOT NULL, pod_name TEXT NOT NULL, cluster TEXT NOT NULL,"
                    + " method TEXT, status INTEGER, path TEXT, record BLOB NOT NULL, direction TEXT, protocol TEXT,"
                    + " template TEXT, duration_ns INTEGER, bytes INTEGER, body_seg INTEGER, body_off INTEGER,"
                    + " body_len INTEGER)");
            s.execute("CREATE INDEX captures_ts ON captures(ts)");
            s.execute("CREATE INDEX captures_ts_facets"
                    + " ON captures(ts, app_label, method, template, status, duration_ns, bytes)");
            s.execute("CREATE TABLE body_segments (id INTEGER PRIMARY KEY, bytes INTEGER NOT NULL,"
                    + " live INTEGER NOT NULL, live_bytes INTEGER NOT NULL)");
            s.execute("INSERT INTO captures (id, ts, proxy_id, app_label, pod_name, cluster, record)"
                    + " VALUES ('v3-a', 1, 'p', 'shop', 'p', 'c', x'01'), ('v3-b', 2, 'p', 'shop', 'p', 'c', x'02')");
            s.execute("PRAGMA user_version = 3");
        }

        reader = new SqliteCaptureReader(SqliteDatabase.open(old), 1);

        assertThat(reader.findRefs(CaptureQuery.newest(10))).extracting(r -> r.id()).containsExactly("v3-b", "v3-a");
        assertThat(indexes(old)).contains(SqliteDatabase.TIME_INDEX).doesNotContain("captures_ts",
                "captures_ts_facets");
        assertWalksAnIndexWithoutSorting(reader.plan(CaptureQuery.newest(100)), "newest after the upgrade");
        assertThat(pageSize(old)).as("an existing file keeps its page size").isEqualTo(4096);
    }

    @Test
    void aNewStoreHasLargerPagesThanSqlitesDefault() throws Exception {
        assertThat(pageSize(dir)).isEqualTo(SqliteDatabase.PAGE_BYTES).isEqualTo(16 * 1024);
    }

    private static long pageSize(Path dir) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteDatabase.FILE_NAME));
                ResultSet rs = c.createStatement().executeQuery("PRAGMA page_size")) {
            return rs.getLong(1);
        }
    }

    private static List<String> indexes(Path dir) throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteDatabase.FILE_NAME));
                ResultSet rs = c.createStatement().executeQuery(
                        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'captures'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private static void assertWalksAnIndexWithoutSorting(List<String> plan, String what) {
        assertThat(plan).as(what + ": " + plan).anyMatch(step -> step.contains(" INDEX "));
        assertThat(plan).as(what + ": " + plan).noneMatch(step -> step.startsWith("SCAN captures")
                && !step.contains(" INDEX "));
        assertThat(plan).as(what + ": " + plan).noneMatch(step -> step.contains("TEMP B-TREE"));
    }
}
