package dev.tapline.forwarder.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
 *   <li>{@code sqlite}: the store before schema 3, {@link SqliteCaptureSink} with the record in the row (WAL,
 *       then the checkpoint copies it into the database file: every body written twice);</li>
 *   <li>{@code segment}: the store since schema 3, the sink as the forwarder makes it: the records appended to a
 *       segment file ({@link BodySegments}) with one gathering write, fdatasync, then the rows that point at them;</li>
 *   <li>{@code segment+zstd1}, {@code segment+zstd-1}, {@code segment+lz4}: as {@code segment}, each record
 *       compressed first, and stored raw when compressing saved less than an eighth;</li>
 *   <li>{@code rocksdb-blob} (with {@code -Procksdb-bench}): the records in RocksDB with BlobDB, the sink storing
 *       8-byte keys in the rows.</li>
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
            int inRow = way.equals("sqlite") ? Integer.MAX_VALUE : SqliteCaptureSink.SEGMENT_RECORD_BYTES;
            Compressor compressor = compressor(way);
            try (SqliteCaptureSink sink = new SqliteCaptureSink(database, SqliteCaptureSink.SEGMENT_BYTES, inRow);
                    BodyAppender elsewhere = appender(way, dir)) {
                long written0 = diskWriteBytes();
                long cpu0 = threads.getCurrentThreadCpuTime();
                long process0 = processCpu();
                long stored = 0;
                byte[][] scratch = new byte[BATCH][];
                for (int i = 0; i < n; i += BATCH) {
                    List<byte[]> pointers = elsewhere == null ? null : elsewhere.append(records, i, BATCH);
                    List<StoredCapture> batch = new ArrayList<>(BATCH);
                    for (int k = 0; k < BATCH; k++) {
                        byte[] record = pointers != null ? pointers.get(k) : records[(i + k) % records.length];
                        if (compressor != null) {
                            record = compressed(compressor, record, scratch, k);
                        }
                        batch.add(capture(i + k, record));
                        stored += record.length;
                    }
                    sink.store(batch);
                }
                double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e3;
                double process = (processCpu() - process0) / 1e3;
                if (elsewhere != null) {
                    stored = elsewhere.stored();
                }
                return new double[] { cpu / n, (double) (diskWriteBytes() - written0) / n, (double) stored / n,
                        process / n };
            }
        } finally {
            delete(dir);
        }
    }

    /** The record compressed, or itself when compressing saves less than an eighth (random bytes, media). */
    private static byte[] compressed(Compressor compressor, byte[] record, byte[][] scratch, int k) {
        if (scratch[k] == null || scratch[k].length < compressor.bound(record.length)) {
            scratch[k] = new byte[compressor.bound(record.length)];
        }
        int size = compressor.compress(record, scratch[k]);
        return size > 0 && size < record.length - record.length / 8 ? Arrays.copyOf(scratch[k], size) : record;
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
        if (!way.startsWith("segment+")) {
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
