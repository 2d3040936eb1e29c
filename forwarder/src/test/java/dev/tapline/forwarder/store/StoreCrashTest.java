package dev.tapline.forwarder.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tapline.forwarder.store.sqlite.SqliteCaptureReader;
import dev.tapline.forwarder.store.sqlite.SqliteCaptureSink;
import dev.tapline.forwarder.store.sqlite.SqliteDatabase;

/** An acked capture survives {@code kill -9}: a real process writes, is killed mid-stream, the store is reopened. */
class StoreCrashTest {
    @TempDir
    Path dir;

    @Test
    void everyCaptureAckedBeforeAKill9IsThereAfterReopening() throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, CrashingWriter.class.getName(), dir.toString()).redirectErrorStream(true).start();
        int acked = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while (acked < 20 * CrashingWriter.BATCH && (line = out.readLine()) != null) {
                if (line.startsWith("ACKED ")) {
                    acked = Integer.parseInt(line.substring(6).trim());
                }
            }
            writer.destroyForcibly(); // SIGKILL: no shutdown hook, no close, no checkpoint
            assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(acked).as("acks seen before the kill").isGreaterThanOrEqualTo(20 * CrashingWriter.BATCH);

        SqliteDatabase reopened = SqliteDatabase.open(dir);
        try (SqliteCaptureReader reader = new SqliteCaptureReader(reopened, 1);
                SqliteCaptureSink sink = new SqliteCaptureSink(reopened)) {
            for (int n : List.of(0, acked / 2, acked - 1)) {
                assertThat(reader.byId(CrashingWriter.id(n))).as("capture %d", n).isPresent();
            }
            assertThat(reader.find(CaptureQuery.newest(1000).withApp("app")).size()).isEqualTo(1000);
            List<SinkOutcome> again = sink.store(List.of(new StoredCapture(CrashingWriter.id(acked - 1), 0, "p",
                    "app", "p", "c", "GET", 200, "/", new byte[1])));
            assertThat(again).containsExactly(SinkOutcome.DUPLICATE);
        }
    }
}
