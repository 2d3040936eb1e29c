package dev.tapline.forwarder.index;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.tapline.capture.v1.Capture;
import dev.tapline.forwarder.ingest.BatchPreparer;
import dev.tapline.forwarder.testing.Captures;

/**
 * The indexer's CPU per protobuf record to make its store row: a full parse against {@link CaptureColumns}, in
 * alternating rounds over the same 20,000 1 KiB captures, JIT-warm. Prints ns per record for each round.
 * Run: {@code ./mvnw -B test -pl forwarder -am -Dtest=CaptureColumnsBench $BENCH} (BENCHMARKS.md has $BENCH).
 */
@Tag("bench")
class CaptureColumnsBench {
    private static final int RECORDS = 20_000;
    private static final int ROUNDS = 8;

    @FunctionalInterface
    private interface Decode {
        Capture of(byte[] record) throws Exception;
    }

    @Test
    void fullParseAgainstColumns() throws Exception {
        List<byte[]> records = new ArrayList<>(RECORDS);
        for (int i = 0; i < RECORDS; i++) {
            records.add(Captures.kib("bench-" + i, "proxy-1", Captures.T0 + i).build().toByteArray());
        }
        long sink = 0;
        for (int warm = 0; warm < 5; warm++) {
            sink += round(records, Capture::parseFrom) + round(records, CaptureColumns::of);
        }
        for (int r = 0; r < ROUNDS; r++) {
            long full = round(records, Capture::parseFrom);
            long columns = round(records, CaptureColumns::of);
            System.out.printf("round %d: full parse + row %.0f ns, columns + row %.0f ns per record = %.2fx%n", r,
                    (double) full / RECORDS, (double) columns / RECORDS, (double) columns / full);
            sink += full + columns;
        }
        System.out.println(sink == 0 ? "" : "(" + records.get(0).length + " bytes per record)");
    }

    /** Nanoseconds to decode every record and make its row. */
    private static long round(List<byte[]> records, Decode decode) throws Exception {
        long start = System.nanoTime();
        long rows = 0;
        for (byte[] record : records) {
            rows += BatchPreparer.row(decode.of(record), record, "app", "pod", "c", Captures.T0).status();
        }
        long took = System.nanoTime() - start;
        return rows == Long.MIN_VALUE ? 0 : took;
    }
}
