package dev.tapline.forwarder.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store loads SQLite's native library from its own copy, and leaves no file behind. In a fresh JVM: in this
 * one another test may have loaded the library already.
 */
class SqliteNativeLibraryTest {
    @TempDir
    Path data;

    @Test
    void theStoreLoadsTheLibraryFromACopyItThenDeletes() throws Exception {
        String out = probe();
        String path = out.lines().filter(l -> l.startsWith("path=")).findFirst().orElseThrow().substring(5);
        assertThat(path).as(out).contains("tapline-sqlite-");
        assertThat(Path.of(path)).as("the copy's directory is gone").doesNotExist();
        // the process maps the copy it loaded, deleted since
        assertThat(out).contains("maps=[" + path + "/libsqlitejdbc.so (deleted)]");
        assertThat(data.resolve(SqliteDatabase.FILE_NAME)).exists();
    }

    private String probe() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                SqliteNativeLibraryProbe.class.getName(), data.toString())).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the probe ended").isTrue();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
