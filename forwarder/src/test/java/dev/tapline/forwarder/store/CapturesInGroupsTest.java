package dev.tapline.forwarder.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tapline.forwarder.store.CaptureReader.CaptureRef;
import dev.tapline.forwarder.store.sqlite.SqliteCaptureReader;
import dev.tapline.forwarder.store.sqlite.SqliteCaptureSink;
import dev.tapline.forwarder.store.sqlite.SqliteDatabase;

class CapturesInGroupsTest {
    @TempDir
    Path dir;

    private SqliteCaptureSink sink;
    private SqliteCaptureReader store;
    /** The real reader, with each group it is asked for recorded. */
    private final List<List<String>> groups = new ArrayList<>();
    private CaptureReader reader;

    @BeforeEach
    void open() {
        SqliteDatabase db = SqliteDatabase.open(dir.resolve("data"));
        sink = new SqliteCaptureSink(db);
        store = new SqliteCaptureReader(db, 2);
        reader = new CaptureReader() {
            @Override
            public List<StoredCapture> find(CaptureQuery query) {
                return store.find(query);
            }

            @Override
            public List<CaptureRef> findRefs(CaptureQuery query) {
                return store.findRefs(query);
            }

            @Override
            public List<StoredCapture> byIds(List<String> ids) {
                groups.add(ids);
                return store.byIds(ids);
            }

            @Override
            public java.util.Optional<StoredCapture> byId(String id) {
                return store.byId(id);
            }
        };
    }

    @AfterEach
    void close() {
        sink.close();
        store.close();
    }

    private static StoredCapture row(String id, long ts, int recordBytes) {
        return new StoredCapture(id, ts, "pod-1", "shop", "pod-1", "c1", "GET", 200, "/x", new byte[recordBytes]);
    }

    @Test
    void refsCarryTheStoredSizeNewestFirst() {
        sink.store(List.of(row("a", 1, 10), row("b", 2, 2000), row("c", 3, 0)));
        assertThat(store.findRefs(CaptureQuery.newest(10)))
                .containsExactly(new CaptureRef("c", 0), new CaptureRef("b", 2000), new CaptureRef("a", 10));
    }

    @Test
    void capturesComeInOrderInGroupsBoundedByCountAndBytes() {
        // sizes newest first: 100 100 100 100 | 250 | 900 (alone: over the byte bound) | 100 100
        int[] sizes = {100, 100, 900, 250, 100, 100, 100, 100};
        List<StoredCapture> rows = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            rows.add(row("r" + i, i, sizes[i]));
        }
        sink.store(rows);
        List<CaptureRef> refs = new ArrayList<>(store.findRefs(CaptureQuery.newest(100)));
        refs.add(4, new CaptureRef("deleted-meanwhile", 10));

        List<String> read = new ArrayList<>();
        for (StoredCapture c : new CapturesInGroups(reader, refs, 4, 500)) {
            assertThat(c.record()).hasSize(sizes[Integer.parseInt(c.id().substring(1))]);
            read.add(c.id());
        }

        assertThat(read).containsExactly("r7", "r6", "r5", "r4", "r3", "r2", "r1", "r0");
        assertThat(groups).containsExactly(List.of("r7", "r6", "r5", "r4"), List.of("deleted-meanwhile", "r3"),
                List.of("r2"), List.of("r1", "r0"));
    }

    @Test
    void nothingIsReadBeforeTheIterationAsksAndNoRefsMeansNoQuery() {
        sink.store(List.of(row("a", 1, 10)));
        Iterable<StoredCapture> captures = new CapturesInGroups(reader, store.findRefs(CaptureQuery.newest(10)));
        assertThat(groups).isEmpty();
        assertThat(captures).extracting(StoredCapture::id).containsExactly("a");
        assertThat(new CapturesInGroups(reader, List.of())).isEmpty();
        assertThat(groups).hasSize(1);
    }
}
