package dev.tapline.forwarder.store.sqlite;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jboss.logging.Logger;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * Loads sqlite-jdbc's native library in a few milliseconds instead of a few hundred. Left to itself, the driver
 * copies the library out of its jar into a temporary file, then compares the copy with the jar's, byte by byte
 * through single-byte reads of two streams: on a slow 2-core machine that was a sixth of the forwarder's main thread
 * at start, most of the cost of opening the store (profiled with JFR; {@code deploy/bench/start.sh} measures start).
 *
 * <p>Here the copy is one bulk transfer into a directory only this user can enter, under a name nobody can guess
 * beforehand (so nobody can put another library there), and the driver is pointed at it with its documented
 * {@code org.sqlite.lib.path} / {@code org.sqlite.lib.name} properties. Once the driver has loaded it, the copy is
 * deleted: the process keeps it mapped, and no file is left behind in {@code /tmp}. Users who set those properties
 * themselves, and platforms whose library the jar lacks, keep the driver's own way, as does any failure here.
 */
final class SqliteNativeLibrary {
    static final String PATH_PROPERTY = "org.sqlite.lib.path";
    static final String NAME_PROPERTY = "org.sqlite.lib.name";
    private static final Logger LOG = Logger.getLogger(SqliteNativeLibrary.class);
    private static boolean loaded;

    private SqliteNativeLibrary() {
    }

    /** Loads the library once; later calls return at once. */
    static synchronized void load() {
        if (loaded) {
            return;
        }
        loaded = true;
        if (System.getProperty(PATH_PROPERTY) != null || System.getProperty(NAME_PROPERTY) != null) {
            return;
        }
        String name = LibraryLoaderUtil.getNativeLibName();
        String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + name;
        Path dir = null;
        try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
            if (in == null) {
                return;
            }
            dir = Files.createTempDirectory("tapline-sqlite-"); // rwx------, a random name
            Files.copy(in, dir.resolve(name));
            System.setProperty(PATH_PROPERTY, dir.toString());
            System.setProperty(NAME_PROPERTY, name);
            if (!SQLiteJDBCLoader.initialize()) {
                throw new IOException("the driver did not load " + dir.resolve(name));
            }
        } catch (Exception e) {
            LOG.debugf("loading SQLite's native library from a copy failed (%s): the driver loads it by itself", e);
            System.clearProperty(PATH_PROPERTY);
            System.clearProperty(NAME_PROPERTY);
        } finally {
            deleteQuietly(dir, name);
        }
    }

    private static void deleteQuietly(Path dir, String name) {
        if (dir == null) {
            return;
        }
        try {
            Files.deleteIfExists(dir.resolve(name));
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            LOG.debugf("could not delete the copy of SQLite's native library in %s: %s", dir, e);
        }
    }
}
