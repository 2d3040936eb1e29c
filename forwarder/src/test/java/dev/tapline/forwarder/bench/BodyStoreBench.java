package dev.tapline.forwarder.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.github.luben.zstd.Zstd;

import dev.tapline.forwarder.facets.CaptureFacets;
import dev.tapline.forwarder.store.StoredCapture;
import dev.tapline.forwarder.store.sqlite.SqliteCaptureSink;
import dev.tapline.forwarder.store.sqlite.SqliteDatabase;
import dev.tapline.forwarder.testing.TempDirs;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;

/**
 * Where a 64 KiB body should be stored, measured (issue 24): the store writer's CPU per capture and the bytes it
 * writes per capture, for each way of storing, in one process, the ways alternating round by round so that the
 * load of a shared machine falls on all of them alike. Every way is durable as the sink is: a batch of 16 captures
 * (goproxy's 1 MiB batch), then fsync, then the batch counts as stored.
 *
 * <ul>
 *   <li>{@code sqlite}: today's store, {@link SqliteCaptureSink} with the record in the row (WAL, then the
 *       checkpoint copies it into the database file: every body written twice);</li>
 *   <li>{@code segment}: the bodies appended to a segment file with one gathering write, fdatasync, then the same
 *       sink stores each row with a 16-byte pointer (segment, offset, length) in place of the record;</li>
 *   <li>{@code segment+zstd1}, {@code segment+zstd-1}, {@code segment+lz4}: as {@code segment}, each body
 *       compressed first, and stored raw when compressing saved less than an eighth.</li>
 * </ul>
 *
 * Bodies: {@code json} (an API's JSON answer: repeated keys, varied values; compresses about 4:1) or
 * {@code random} (already compressed media; does not compress). CPU is the writer thread's (user + system:
 * the kernel's copy into the page cache and the fsync's writeback count, as they do in the forwarder); bytes are
 * {@code write_bytes} of /proc/self/io, what went to the disk.
 *
 * <pre>
 *   ./mvnw -B test -pl forwarder -am -Dtest=BodyStoreBench -Dtapline.excludedGroups=none -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * Options: {@code tapline.bench.rounds} (3), {@code tapline.bench.captures} (2048 per way and round),
 * {@code tapline.bench.body-bytes} (65536), {@code tapline.bench.ways} (all, comma-separated).
 */
@Tag("bench")
class BodyStoreBench {
    private static final int BATCH = 16;
    private static final int HEAD_BYTES = 400;
    private static final long SEGMENT_BYTES = 64L << 20;

    private final int rounds = Integer.getInteger("tapline.bench.rounds", 3);
    private final int captures = Integer.getInteger("tapline.bench.captures", 2048);
    private final int bodyBytes = Integer.getInteger("tapline.bench.body-bytes", 65_536);
    private final List<String> ways = List.of(System.getProperty("tapline.bench.ways",
            "sqlite,segment,segment+zstd1,segment+zstd-1,segment+lz4").split(","));
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    @Test
    void cpuAndBytesPerStoredBody() throws Exception {
        Map<String, List<double[]>> results = new LinkedHashMap<>();
        for (String kind : List.of("json", "random")) {
            byte[][] records = records(kind, 64);
            run("sqlite", records, 256); // warm-up: JIT, SQLite's and zstd's native libraries
            for (String way : ways) {
                run(way, records, 256);
            }
            for (int r = 1; r <= rounds; r++) {
                for (String way : ways) {
                    double[] m = run(way, records, captures);
                    results.computeIfAbsent(kind + " " + way, k -> new ArrayList<>()).add(m);
                    System.out.printf("BENCH body-store round %d %-6s %-15s %7.1f µs CPU/capture (process %7.1f)"
                            + " %9.0f bytes written/capture %8.0f bytes stored/body%n", r, kind, way, m[0], m[3], m[1],
                            m[2]);
                }
            }
        }
        System.out.printf("BENCH body-store summary (%d-byte bodies, %d captures x %d rounds, batches of %d + fsync):%n",
                bodyBytes, captures, rounds, BATCH);
        for (Map.Entry<String, List<double[]>> e : results.entrySet()) {
            List<double[]> ms = e.getValue();
            double[] cpu = ms.stream().mapToDouble(m -> m[0]).sorted().toArray();
            double[] bytes = ms.stream().mapToDouble(m -> m[1]).sorted().toArray();
            double[] process = ms.stream().mapToDouble(m -> m[3]).sorted().toArray();
            System.out.printf("BENCH body-store %-22s CPU µs/capture median %6.1f (%.1f–%.1f), process %6.1f"
                    + " (%.1f–%.1f), written bytes/capture median %7.0f (%.0f–%.0f)%n", e.getKey(), cpu[cpu.length / 2],
                    cpu[0], cpu[cpu.length - 1], process[process.length / 2], process[0], process[process.length - 1],
                    bytes[bytes.length / 2], bytes[0], bytes[bytes.length - 1]);
        }
        assertThat(results).isNotEmpty();
    }

    /** Stores {@code n} captures one way into a fresh directory; returns CPU µs, bytes written and bytes stored per capture. */
    private double[] run(String way, byte[][] records, int n) throws Exception {
        Path dir = Path.of(TempDirs.create("body-store"));
        try {
            SqliteDatabase database = SqliteDatabase.open(dir);
            try (SqliteCaptureSink sink = new SqliteCaptureSink(database);
                    BodyAppender segments = appender(way, dir)) {
                long written0 = diskWriteBytes();
                long cpu0 = threads.getCurrentThreadCpuTime();
                long process0 = processCpu();
                long stored = 0;
                for (int i = 0; i < n; i += BATCH) {
                    List<StoredCapture> batch = new ArrayList<>(BATCH);
                    if (segments == null) {
                        for (int k = 0; k < BATCH; k++) {
                            byte[] record = records[(i + k) % records.length];
                            batch.add(capture(i + k, record));
                            stored += record.length;
                        }
                    } else {
                        List<byte[]> pointers = segments.append(records, i, BATCH);
                        for (int k = 0; k < BATCH; k++) {
                            batch.add(capture(i + k, pointers.get(k)));
                        }
                    }
                    sink.store(batch);
                }
                double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e3;
                double process = (processCpu() - process0) / 1e3;
                if (segments != null) {
                    stored = segments.stored();
                }
                return new double[] { cpu / n, (double) (diskWriteBytes() - written0) / n, (double) stored / n,
                        process / n };
            }
        } finally {
            delete(dir);
        }
    }

    private static StoredCapture capture(int i, byte[] record) {
        return new StoredCapture("bench-" + i, 1_700_000_000_000_000_000L + i, "bench-0", "bench", "bench-0", "",
                "GET", 200, "/api/items", record, new CaptureFacets("inbound", "http1", "/api/items", 180_000L, 65_536));
    }

    /** Where the bodies go when not in the row: returns one pointer per body, for the body's SQLite row. */
    interface BodyAppender extends AutoCloseable {
        List<byte[]> append(byte[][] records, int first, int count) throws Exception;

        long stored();
    }

    private BodyAppender appender(String way, Path dir) throws Exception {
        if (way.startsWith("segment")) {
            return new Segments(dir, compressor(way));
        }
        if (way.equals("rocksdb-blob")) {
            // compiled only with -Procksdb-bench (a 29 MB jar the forwarder does not ship)
            return (BodyAppender) Class.forName(getClass().getPackageName() + ".RocksBlobBodies")
                    .getConstructor(Path.class).newInstance(dir);
        }
        return null;
    }

    // ---- the bodies ----

    private byte[][] records(String kind, int count) {
        Random random = new Random(24);
        byte[][] records = new byte[count][];
        for (int i = 0; i < count; i++) {
            byte[] record = new byte[HEAD_BYTES + bodyBytes];
            random.nextBytes(record); // the heads: ids, addresses, header values
            byte[] body = kind.equals("json") ? json(random, bodyBytes) : null;
            if (body != null) {
                System.arraycopy(body, 0, record, HEAD_BYTES, bodyBytes);
            }
            records[i] = record;
        }
        return records;
    }

    /** A JSON list of items as an API returns it: the same keys, ids, names, dates, amounts, a few words of text. */
    static byte[] json(Random random, int size) {
        String[] words = { "order", "pending", "shipped", "customer", "invoice", "paid", "refund", "warehouse",
                "Berlin", "Lisbon", "express", "standard", "gift", "note", "returned", "blue", "large" };
        StringBuilder s = new StringBuilder(size + 512).append("{\"items\":[");
        for (int i = 0; s.length() < size; i++) {
            s.append(i == 0 ? "" : ",").append("{\"id\":").append(100_000 + random.nextInt(900_000))
                    .append(",\"uuid\":\"").append(Long.toHexString(random.nextLong())).append('-')
                    .append(Integer.toHexString(random.nextInt())).append("\",\"customer\":{\"name\":\"")
                    .append(words[random.nextInt(words.length)]).append(' ').append(words[random.nextInt(words.length)])
                    .append("\",\"email\":\"u").append(random.nextInt(100_000)).append("@example.com\"},")
                    .append("\"status\":\"").append(words[random.nextInt(3)]).append("\",\"created\":\"2026-11-")
                    .append(10 + random.nextInt(20)).append('T').append(10 + random.nextInt(14)).append(':')
                    .append(10 + random.nextInt(50)).append(":00Z\",\"amount\":").append(random.nextInt(100_000) / 100.0)
                    .append(",\"note\":\"").append(words[random.nextInt(words.length)]).append(' ')
                    .append(words[random.nextInt(words.length)]).append("\"}");
        }
        byte[] bytes = s.toString().getBytes(StandardCharsets.UTF_8);
        byte[] exact = new byte[size];
        System.arraycopy(bytes, 0, exact, 0, size);
        return exact;
    }

    // ---- compression ----

    interface Compressor {
        /** Compresses src into dst; returns the compressed size. */
        int compress(byte[] src, byte[] dst);

        int bound(int size);
    }

    private static Compressor compressor(String way) {
        if (way.equals("segment")) {
            return null;
        }
        if (way.equals("segment+lz4")) {
            LZ4Compressor lz4 = LZ4Factory.fastestInstance().fastCompressor();
            return new Compressor() {
                public int compress(byte[] src, byte[] dst) {
                    return lz4.compress(src, 0, src.length, dst, 0, dst.length);
                }

                public int bound(int size) {
                    return lz4.maxCompressedLength(size);
                }
            };
        }
        int level = Integer.parseInt(way.substring("segment+zstd".length()));
        return new Compressor() {
            public int compress(byte[] src, byte[] dst) {
                return (int) Zstd.compressByteArray(dst, 0, dst.length, src, 0, src.length, level);
            }

            public int bound(int size) {
                return (int) Zstd.compressBound(size);
            }
        };
    }

    // ---- the segment files ----

    /**
     * Append-only segment files, the shortest correct form for this measure: each batch's bodies in one gathering
     * write, then fdatasync; a body's place is (segment, offset, length), kept in its SQLite row.
     */
    private final class Segments implements BodyAppender {
        private final Path dir;
        private final Compressor compressor;
        private FileChannel channel;
        private int segment;
        private long offset;
        private long stored;
        private final byte[][] scratch = new byte[BATCH][];

        Segments(Path dir, Compressor compressor) throws IOException {
            this.dir = dir;
            this.compressor = compressor;
            roll();
        }

        @Override
        public long stored() {
            return stored;
        }

        @Override
        public List<byte[]> append(byte[][] records, int first, int count) throws IOException {
            if (offset >= SEGMENT_BYTES) {
                roll();
            }
            ByteBuffer[] buffers = new ByteBuffer[count];
            List<byte[]> pointers = new ArrayList<>(count);
            long at = offset;
            for (int k = 0; k < count; k++) {
                byte[] record = records[(first + k) % records.length];
                ByteBuffer body = ByteBuffer.wrap(record);
                boolean compressed = false;
                if (compressor != null) {
                    if (scratch[k] == null) {
                        scratch[k] = new byte[compressor.bound(record.length)];
                    }
                    int size = compressor.compress(record, scratch[k]);
                    if (size > 0 && size < record.length - record.length / 8) {
                        body = ByteBuffer.wrap(scratch[k], 0, size);
                        compressed = true;
                    }
                }
                int length = body.remaining();
                buffers[k] = body;
                pointers.add(ByteBuffer.allocate(17).putInt(segment).putLong(at).putInt(length)
                        .put((byte) (compressed ? 1 : 0)).array());
                at += length;
                stored += length;
            }
            long toWrite = at - offset;
            while (toWrite > 0) {
                toWrite -= channel.write(buffers);
            }
            channel.force(false);
            offset = at;
            return pointers;
        }

        private void roll() throws IOException {
            if (channel != null) {
                channel.close();
            }
            segment++;
            offset = 0;
            channel = FileChannel.open(dir.resolve(String.format("bodies-%08d.seg", segment)),
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true); // the new file's name is durable before any index row points into it
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    // ---- measuring ----

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static long diskWriteBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
                if (line.startsWith("write_bytes:")) {
                    return Long.parseLong(line.substring("write_bytes:".length()).trim());
                }
            }
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
