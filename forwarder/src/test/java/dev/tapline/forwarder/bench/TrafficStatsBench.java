package dev.tapline.forwarder.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tapline.capture.v1.Capture;
import dev.tapline.forwarder.facets.CaptureFacets;
import dev.tapline.forwarder.facets.EndpointStats;
import dev.tapline.forwarder.store.CaptureQuery;
import dev.tapline.forwarder.store.StoredCapture;
import dev.tapline.forwarder.store.sqlite.SqliteCaptureReader;
import dev.tapline.forwarder.store.sqlite.SqliteCaptureSink;
import dev.tapline.forwarder.store.sqlite.SqliteDatabase;
import dev.tapline.forwarder.store.sqlite.SqliteTrafficStats;
import dev.tapline.forwarder.testing.Captures;

/**
 * The Analyzer's figures on a store of 1,000,000 captures (about 1 KiB records, 10 apps, 50 endpoints each, 2 %
 * 5xx) spread evenly over the last 24 hours: the endpoints and the timeline of the last hour (about 42,000
 * captures), and of all 24 hours (every capture). Run with
 * {@code ./mvnw -pl forwarder -am test -Dtapline.excludedGroups=none -Dgroups=bench -Dtest=TrafficStatsBench}.
 * With {@code -Dtapline.bench.store-dir=DIR} the store is made in DIR and kept, as a forwarder's DATA_DIR (the
 * Analyzer's paint bench, deploy/bench/analyzer.sh, opens it).
 */
@Tag("bench")
public class TrafficStatsBench {
    private static final int CAPTURES = Integer.getInteger("tapline.bench.captures", 1_000_000);
    private static final long HOUR = 3_600_000_000_000L;
    private static final long SPAN = 24 * HOUR;

    @TempDir
    Path dir;

    /** Also runnable on its own: {@code java -cp <test class path> ...TrafficStatsBench <empty dir>}. */
    public static void main(String[] args) throws java.io.IOException {
        TrafficStatsBench bench = new TrafficStatsBench();
        bench.dir = Path.of(args[0]);
        bench.endpointsAndTimelineOfTheLastHourWithAMillionCapturesStored();
    }

    @Test
    void endpointsAndTimelineOfTheLastHourWithAMillionCapturesStored() throws java.io.IOException {
        String keep = System.getProperty("tapline.bench.store-dir");
        if (keep != null) {
            dir = java.nio.file.Files.createDirectories(Path.of(keep));
        }
        SqliteDatabase db = SqliteDatabase.open(dir);
        long now = System.currentTimeMillis() * 1_000_000L;
        try (SqliteCaptureSink sink = new SqliteCaptureSink(db); SqliteCaptureReader reader = new SqliteCaptureReader(db, 2)) {
            long t0 = System.nanoTime();
            fill(sink, now);
            System.out.printf("TrafficStatsBench: stored %,d captures in %.1f s, store %,d MB%n", CAPTURES,
                    (System.nanoTime() - t0) / 1e9, sink.sizeBytes() / 1_000_000);
            SqliteTrafficStats stats = new SqliteTrafficStats(reader);
            CaptureQuery lastHour = CaptureQuery.newest(1).between(now - HOUR, now);
            CaptureQuery lastDay = CaptureQuery.newest(1).between(now - SPAN, now);
            System.out.println("TrafficStatsBench: plans " + stats.plans(lastHour));

            List<EndpointStats> hour = stats.endpoints(lastHour, 1000);
            assertThat(hour).hasSize(500);
            assertThat(hour.stream().mapToLong(EndpointStats::count).sum()).isBetween(CAPTURES / 24L - 100, CAPTURES / 24L + 100);
            report("endpoints, last hour", () -> stats.endpoints(lastHour, 1000));
            report("timeline, last hour (60 intervals)", () -> stats.timeline(lastHour, now - HOUR, HOUR / 60, 60));
            report("endpoints, app=app-3, last hour", () -> stats.endpoints(lastHour.withApp("app-3"), 1000));
            report("endpoints, all 24 h (every capture)", () -> stats.endpoints(lastDay, 1000));
            report("timeline, all 24 h (every capture)", () -> stats.timeline(lastDay, now - SPAN, SPAN / 60, 60));
        }
    }

    private static void fill(SqliteCaptureSink sink, long now) {
        Capture base = Captures.kib("fill", "fill-pod", 0).build();
        byte[] record = base.toByteArray();
        long step = SPAN / CAPTURES;
        for (int first = 0; first < CAPTURES; first += 5000) {
            List<StoredCapture> rows = new ArrayList<>(5000);
            for (int i = first; i < Math.min(CAPTURES, first + 5000); i++) {
                int app = i % 10;
                String template = "/api/resource-" + (i / 10 % 50) + "/{id}";
                int status = i % 50 == 0 ? 503 : 200;
                rows.add(new StoredCapture("fill-" + i, now - SPAN + i * step, "pod-" + app, "app-" + app,
                        "pod-" + app, "bench", "GET", status, template.replace("{id}", Integer.toString(i)),
                        Arrays.copyOf(record, record.length),
                        new CaptureFacets("inbound", "http1", template, 1_000_000L + i % 977 * 10_000L, 700)));
            }
            sink.store(rows);
        }
    }

    /** Median and worst of 7 runs after 2 unmeasured ones. */
    private static void report(String what, Supplier<?> work) {
        for (int i = 0; i < 2; i++) {
            work.get();
        }
        double[] ms = new double[7];
        for (int i = 0; i < ms.length; i++) {
            long t = System.nanoTime();
            work.get();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf("TrafficStatsBench: %-40s median %7.1f ms, worst %7.1f ms%n", what, ms[ms.length / 2],
                ms[ms.length - 1]);
    }
}
