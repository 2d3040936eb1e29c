package dev.tapline.forwarder.store.sqlite;

import java.nio.file.Files;
import java.nio.file.Path;

/** Run by {@link SqliteNativeLibraryTest} in a JVM of its own: opens a store, prints where the library came from. */
public final class SqliteNativeLibraryProbe {
    private SqliteNativeLibraryProbe() {
    }

    public static void main(String[] args) throws Exception {
        SqliteDatabase.open(Path.of(args[0]));
        System.out.println("path=" + System.getProperty(SqliteNativeLibrary.PATH_PROPERTY));
        System.out.println("maps=" + Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .filter(line -> line.contains("sqlitejdbc")).map(line -> line.substring(line.indexOf('/')))
                .distinct().toList());
    }
}
