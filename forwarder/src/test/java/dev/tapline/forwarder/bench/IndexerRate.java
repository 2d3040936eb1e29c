package dev.tapline.forwarder.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import dev.tapline.forwarder.testing.TempDirs;
import dev.tapline.testkit.KafkaBroker;

/**
 * How fast an indexer ({@code INDEX_FROM_KAFKA=true}, the packaged forwarder in its own process) takes a captures
 * topic that already holds {@code published} records into its store: the stored rows are counted in its SQLite file
 * (read-only, beside the writer, as WAL allows; {@code max(seq)}, which is the count when nothing was deleted, and
 * costs a lookup where {@code count(*)} would scan) every 200 ms; the rate runs from the first row stored to the
 * last, so the start-up is not in it. Prints captures/s, the indexer's CPU per capture and per thread.
 * {@code -Dtapline.bench.indexer-jars=a.jar,b.jar} runs each build in turn over the same records ({@code .indexer-rounds}
 * times, each in a consumer group of its own), for A/B in one run.
 */
final class IndexerRate {
    private IndexerRate() {
    }

    static void measure(KafkaBroker broker, long published) throws Exception {
        String jars = System.getProperty("tapline.bench.indexer-jars", ForwarderProcess.JAR.toString());
        int rounds = Integer.getInteger("tapline.bench.indexer-rounds", 1);
        int run = 0;
        for (int r = 1; r <= rounds; r++) {
            for (String jar : jars.split(",")) {
                System.out.printf("BENCH indexer round %d, %s%n", r, jar);
                measure(broker, published, Path.of(jar.trim()), "bench-indexer-" + ++run);
            }
        }
    }

    private static void measure(KafkaBroker broker, long published, Path jar, String group) throws Exception {
        Path dataDir = Path.of(TempDirs.create("indexer-bench"));
        Map<String, String> env = Map.of("INDEX_FROM_KAFKA", "true", "SINK", "store",
                "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(), "KAFKA_GROUP_ID", group);
        try (ForwarderProcess indexer = ForwarderProcess.start(jar, dataDir, env);
                Connection db = DriverManager.getConnection("jdbc:sqlite:file:" + dataDir.resolve("captures.db")
                        + "?mode=ro")) {
            long firstAt = 0;
            double cpuAtFirst = 0;
            Map<String, Double> threadsAtFirst = Map.of();
            long stored = 0;
            long deadline = System.nanoTime() + 20L * 60 * 1_000_000_000L;
            while (stored < published) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the indexer stored " + stored + " of " + published + " in 20 min");
                }
                Thread.sleep(200);
                stored = count(db);
                if (firstAt == 0 && stored > 0) {
                    firstAt = System.nanoTime();
                    cpuAtFirst = indexer.cpuMicros();
                    threadsAtFirst = indexer.cpuMicrosByThread();
                    stored = count(db);
                }
            }
            double seconds = (System.nanoTime() - firstAt) / 1e9;
            double cpu = indexer.cpuMicros() - cpuAtFirst;
            System.out.printf("BENCH indexer: %d captures from Kafka into its store in %.1f s = %.0f captures/s,"
                    + " %.1f µs CPU per capture (%.2f cores)%n", published, seconds, published / seconds,
                    cpu / published, cpu / 1e6 / seconds);
            ForwarderCpuBench.printThreads(threadsAtFirst, indexer.cpuMicrosByThread(), published);
        }
    }

    private static long count(Connection db) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT coalesce(max(seq), 0) FROM captures")) {
            return r.getLong(1);
        }
    }
}
