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
 * topic that already holds {@code published} records into its store: the count of stored rows is read from its
 * SQLite file (read-only, beside the writer, as WAL allows) every 200 ms; the rate runs from the first row stored
 * to the last, so the start-up is not in it. Prints captures/s and the indexer's CPU per capture.
 */
final class IndexerRate {
    private IndexerRate() {
    }

    static void measure(KafkaBroker broker, long published) throws Exception {
        Path dataDir = Path.of(TempDirs.create("indexer-bench"));
        Map<String, String> env = Map.of("INDEX_FROM_KAFKA", "true", "SINK", "store",
                "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        try (ForwarderProcess indexer = ForwarderProcess.start(dataDir, env);
                Connection db = DriverManager.getConnection("jdbc:sqlite:file:" + dataDir.resolve("captures.db")
                        + "?mode=ro")) {
            long firstAt = 0;
            double cpuAtFirst = 0;
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
                    stored = count(db);
                }
            }
            double seconds = (System.nanoTime() - firstAt) / 1e9;
            double cpu = indexer.cpuMicros() - cpuAtFirst;
            System.out.printf("BENCH indexer: %d captures from Kafka into its store in %.1f s = %.0f captures/s,"
                    + " %.1f µs CPU per capture (%.2f cores)%n", published, seconds, published / seconds,
                    cpu / published, cpu / 1e6 / seconds);
        }
    }

    private static long count(Connection db) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM captures")) {
            return r.getLong(1);
        }
    }
}
