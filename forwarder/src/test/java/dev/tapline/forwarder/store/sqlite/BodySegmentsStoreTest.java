package dev.tapline.forwarder.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tapline.forwarder.store.CaptureQuery;
import dev.tapline.forwarder.store.CaptureReader.CaptureRef;
import dev.tapline.forwarder.store.SinkOutcome;
import dev.tapline.forwarder.store.StoreException;
import dev.tapline.forwarder.store.StoredCapture;

/** Large records in segment files (schema 3): read back, searched, recovered after a crash, reclaimed by retention. */
class BodySegmentsStoreTest {
    private static final int BIG = 64 * 1024;

    @TempDir
    Path dir;

    private static byte[] record(int n, int size) {
        byte[] record = new byte[size];
        new Random(n).nextBytes(record);
        byte[] marker = ("marker-" + n + "-end").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(marker, 0, record, size / 2, marker.length);
        return record;
    }

    private static StoredCapture row(int n, int size) {
        return new StoredCapture("c" + n, n, "p", "shop", "p", "c1", "GET", 200, "/x", record(n, size));
    }

    private static CaptureQuery withText(String text) {
        CaptureQuery q = CaptureQuery.newest(10);
        return new CaptureQuery(q.app(), q.proxyId(), q.method(), q.statusFrom(), q.statusTo(), q.pathPart(),
                q.sinceNanos(), q.untilNanos(), q.limit(), q.direction(), q.protocol(), q.template(), Optional.of(text));
    }

    private List<Path> segmentFiles(Path data) throws IOException {
        try (Stream<Path> files = Files.list(data)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".seg")).sorted().toList();
        }
    }

    @Test
    void aStoreThatCannotOpenItsSegmentsFailsClearlyAndLeavesNoHandleOnItsFile() throws IOException {
        SqliteDatabase db = SqliteDatabase.open(dir);
        // a stray segment that cannot be deleted: a directory with a file in it
        Path stray = db.dir().resolve("bodies-7.seg");
        Files.createDirectories(stray);
        Files.writeString(stray.resolve("keep"), "x");
        long before = openHandlesOn(db.file());

        assertThatThrownBy(() -> new SqliteCaptureSink(db))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("cannot open the store for writing")
                .hasMessageContaining("bodies-7.seg");
        assertThat(openHandlesOn(db.file())).as("the writer's connection is closed again").isEqualTo(before);

        Files.delete(stray.resolve("keep"));
        try (SqliteCaptureSink sink = new SqliteCaptureSink(db)) {
            assertThat(sink.store(List.of(row(1, BIG)))).containsExactly(SinkOutcome.STORED);
        }
    }

    /** This process's open file descriptors on {@code file} (Linux: /proc/self/fd). */
    private static long openHandlesOn(Path file) throws IOException {
        Path target = file.toRealPath();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(target);
                } catch (IOException gone) {
                    return false; // closed while listing (the listing's own descriptor)
                }
            }).count();
        }
    }

    @Test
    void largeRecordsGoToASegmentAndAreReadAndSearchedAsRecordsInRows() throws IOException {
        SqliteDatabase db = SqliteDatabase.open(dir);
        try (SqliteCaptureSink sink = new SqliteCaptureSink(db); SqliteCaptureReader reader = new SqliteCaptureReader(db, 1)) {
            List<SinkOutcome> outcomes = sink.store(List.of(row(1, BIG), row(2, 300), row(3, BIG), row(1, BIG),
                    row(4, SqliteCaptureSink.SEGMENT_RECORD_BYTES)));

            assertThat(outcomes).containsExactly(SinkOutcome.STORED, SinkOutcome.STORED, SinkOutcome.STORED,
                    SinkOutcome.DUPLICATE, SinkOutcome.STORED);
            for (int n : List.of(1, 2, 3, 4)) {
                assertThat(reader.byId("c" + n).orElseThrow().record()).as("record %d", n)
                        .isEqualTo(row(n, n == 2 ? 300 : n == 4 ? SqliteCaptureSink.SEGMENT_RECORD_BYTES : BIG).record());
            }
            assertThat(reader.byIds(List.of("c3", "c2", "c1"))).extracting(StoredCapture::id)
                    .containsExactly("c3", "c2", "c1");
            assertThat(reader.findRefs(CaptureQuery.newest(10))).extracting(CaptureRef::recordBytes)
                    .containsExactly((long) SqliteCaptureSink.SEGMENT_RECORD_BYTES, (long) BIG, 300L, (long) BIG);
            for (int n : List.of(2, 3)) {
                assertThat(reader.find(withText("marker-" + n + "-end")))
                        .extracting(StoredCapture::id).containsExactly("c" + n);
            }
            assertThat(reader.find(withText("marker-9-end"))).isEmpty();
            // one segment holds the three large records (the duplicate's copy is dead space); the row holds none
            assertThat(segmentFiles(dir)).hasSize(1);
            assertThat(Files.size(segmentFiles(dir).get(0))).isEqualTo(3L * BIG + SqliteCaptureSink.SEGMENT_RECORD_BYTES);
        }
    }

    @Test
    void recordsOfAnyLengthReadBackWhenEachBatchStartsAtABlockAndOneOutgrowsTheWriteBuffer() throws IOException {
        int[] sizes = {BIG + 1, SqliteCaptureSink.SEGMENT_RECORD_BYTES + 3, (1 << 20) + 5, BIG - 7};
        SqliteDatabase db = SqliteDatabase.open(dir);
        try (SqliteCaptureSink sink = new SqliteCaptureSink(db); SqliteCaptureReader reader = new SqliteCaptureReader(db, 1)) {
            for (int n = 0; n < sizes.length; n += 2) { // two batches, the first ending inside a block
                assertThat(sink.store(List.of(row(n, sizes[n]), row(n + 1, sizes[n + 1]))))
                        .containsOnly(SinkOutcome.STORED);
            }
            for (int n = 0; n < sizes.length; n++) {
                assertThat(reader.byId("c" + n).orElseThrow().record()).as("record %d", n).isEqualTo(row(n, sizes[n]).record());
                assertThat(reader.find(withText("marker-" + n + "-end"))).extracting(StoredCapture::id)
                        .containsExactly("c" + n);
            }
        }
        SqliteDatabase reopened = SqliteDatabase.open(dir);
        try (SqliteCaptureSink sink = new SqliteCaptureSink(reopened);
                SqliteCaptureReader reader = new SqliteCaptureReader(reopened, 1)) {
            assertThat(reader.byId("c3").orElseThrow().record()).isEqualTo(row(3, sizes[3]).record());
        }
    }

    @Test
    void atOpenASegmentTailThatWasNeverCommittedIsCutAndANewSegmentIsStarted() throws IOException {
        SqliteDatabase db = SqliteDatabase.open(dir);
        try (SqliteCaptureSink sink = new SqliteCaptureSink(db)) {
            sink.store(List.of(row(1, BIG), row(2, BIG)));
        }
        Path segment = segmentFiles(dir).get(0);
        long committed = Files.size(segment);
        // a crash after a batch's bodies were written and before its rows were committed: a tail no row points at,
        // and a new segment with no row at all
        Files.write(segment, new byte[BIG / 2], StandardOpenOption.APPEND);
        Path orphan = BodySegments.file(dir, 7);
        Files.write(orphan, new byte[BIG]);

        SqliteDatabase reopened = SqliteDatabase.open(dir);
        try (SqliteCaptureSink sink = new SqliteCaptureSink(reopened);
                SqliteCaptureReader reader = new SqliteCaptureReader(reopened, 1)) {
            assertThat(Files.size(segment)).isEqualTo(committed);
            assertThat(orphan).doesNotExist();
            assertThat(sink.store(List.of(row(3, BIG)))).containsExactly(SinkOutcome.STORED);
            for (int n : List.of(1, 2, 3)) {
                assertThat(reader.byId("c" + n).orElseThrow().record()).isEqualTo(row(n, BIG).record());
            }
            List<Path> files = segmentFiles(dir);
            assertThat(files).hasSize(2).contains(segment);
            assertThat(files.get(1).getFileName().toString()).isEqualTo("bodies-00000008.seg");
        }
    }

    @Test
    void retentionDropsASegmentOnceNoCaptureInItIsLeftAndTheSizeFallsWithIt() throws IOException {
        SqliteDatabase db = SqliteDatabase.open(dir);
        try (SqliteCaptureSink sink = new SqliteCaptureSink(db, 4L * BIG, SqliteCaptureSink.SEGMENT_RECORD_BYTES);
                SqliteCaptureReader reader = new SqliteCaptureReader(db, 1)) {
            for (int batch = 0; batch < 6; batch++) {
                List<StoredCapture> rows = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    rows.add(row(batch * 4 + i, BIG));
                }
                sink.store(rows);
            }
            assertThat(segmentFiles(dir)).hasSize(6);
            long full = sink.usedBytes();
            assertThat(full).isGreaterThan(24L * BIG);

            assertThat(sink.deleteOldest(6)).isEqualTo(6); // the first segment and half the second
            assertThat(segmentFiles(dir)).hasSize(5);
            // the size counts the records left: retention by size deletes no more than it must
            assertThat(sink.usedBytes()).isLessThanOrEqualTo(full - 6L * BIG);
            assertThat(reader.byId("c6").orElseThrow().record()).isEqualTo(row(6, BIG).record());

            assertThat(sink.deleteOlderThan(20, 100)).isEqualTo(14);
            // the segment being appended to stays, whatever is left in it
            assertThat(segmentFiles(dir)).hasSize(1);
            assertThat(reader.find(CaptureQuery.newest(100))).extracting(StoredCapture::id)
                    .containsExactly("c23", "c22", "c21", "c20");
            assertThat(reader.byId("c21").orElseThrow().record()).isEqualTo(row(21, BIG).record());
            assertThat(sink.usedBytes()).isLessThan(full - 19L * BIG);
        }
    }

    @Test
    void aSchema2StoreWithLargeRecordsInItsRowsOpensAndReadsBothKinds() throws Exception {
        Files.createDirectories(dir);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteDatabase.FILE_NAME));
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE captures (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, ts INTEGER NOT NULL,"
                    + " proxy_id TEXT NOT NULL, app_label TEXT NOT NULL, pod_name TEXT NOT NULL, cluster TEXT NOT NULL,"
                    + " method TEXT, status INTEGER, path TEXT, record BLOB NOT NULL, direction TEXT, protocol TEXT,"
                    + " template TEXT, duration_ns INTEGER, bytes INTEGER)");
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO captures (id, ts, proxy_id, app_label,"
                    + " pod_name, cluster, record, direction) VALUES ('c1', 1, 'p', 'shop', 'p', 'c', ?, 'inbound')")) {
                insert.setBytes(1, record(1, BIG));
                insert.executeUpdate();
            }
            s.execute("PRAGMA user_version = 2");
        }
        SqliteDatabase db = SqliteDatabase.open(dir);
        try (SqliteCaptureSink sink = new SqliteCaptureSink(db); SqliteCaptureReader reader = new SqliteCaptureReader(db, 1)) {
            sink.store(List.of(row(2, BIG)));

            assertThat(reader.byIds(List.of("c1", "c2"))).extracting(StoredCapture::record)
                    .containsExactly(record(1, BIG), record(2, BIG));
            assertThat(reader.find(withText("marker-1-end"))).extracting(StoredCapture::id)
                    .containsExactly("c1");
            assertThat(reader.find(withText("-end"))).extracting(StoredCapture::id)
                    .containsExactly("c2", "c1");
            assertThat(segmentFiles(dir)).hasSize(1);
        }
    }

    @Test
    void directIoWritesWholeFileSystemBlocksOnlyWhenTheyAreSmallAndDivideTheBuffer() {
        assertThat(BodySegments.directBlock(4096)).isEqualTo(4096);
        assertThat(BodySegments.directBlock(512)).isEqualTo(512);
        assertThat(BodySegments.directBlock(64 * 1024)).isEqualTo(64 * 1024);
        // unknown, a network file system's 1 MiB transfer size, a size that does not divide the buffer: buffered
        assertThat(BodySegments.directBlock(0)).isEqualTo(1);
        assertThat(BodySegments.directBlock(1)).isEqualTo(1);
        assertThat(BodySegments.directBlock(1 << 20)).isEqualTo(1);
        assertThat(BodySegments.directBlock(3 * 4096)).isEqualTo(1);
    }
}
