package dev.tapline.forwarder.store.sqlite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

import dev.tapline.forwarder.store.StoreException;
import dev.tapline.forwarder.store.StoreFiles;

/**
 * The SQLite file under DATA_DIR ({@code captures.db}, with its {@code -wal} and {@code -shm} companions): opens
 * connections with the store's settings and creates the schema.
 *
 * <p>Durability: WAL journal with {@code synchronous=FULL}. A commit returns only after its WAL frames were
 * written <em>and fsync'ed</em>, so an acked capture survives a {@code kill -9} of the forwarder (the WAL is
 * replayed on the next open) and also a crash of the machine or a power cut. {@code NORMAL} would survive the
 * kill but could lose the last commits on power loss; group commit shares each fsync among many batches, so the
 * stronger mode is kept.
 */
public final class SqliteDatabase implements StoreFiles {
    static final String FILE_NAME = "captures.db";
    /** Captures by time, then seq, with the columns the figures add up: see {@link #mergeTimeIndexes}. */
    static final String TIME_INDEX = "captures_ts_seq_facets";
    private static final int SCHEMA_VERSION = 4;
    /**
     * 16 KiB instead of SQLite's 4 KiB: a commit of many small rows writes the same bytes in a quarter of the pages,
     * so a quarter of the WAL's and the checkpoint's system calls (each a frame header and a page), which were most
     * of the store writer's CPU per row (issues 23 and 24, docs/benchmarks/2026-12-03-rowcost-3.md).
     */
    static final int PAGE_BYTES = 16 * 1024;

    private final Path dir;
    private final Path file;
    private final Object fileKey;

    private SqliteDatabase(Path dir) {
        this.dir = dir;
        this.file = dir.resolve(FILE_NAME);
        this.fileKey = fileKey(file);
    }

    /** Creates DATA_DIR and the schema when missing, then returns the database. */
    public static SqliteDatabase open(Path dataDir) {
        Path dir = dataDir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StoreException("cannot create the data directory " + dir + ": " + e, e);
        }
        try {
            createWithLargePages(dir.resolve(FILE_NAME));
        } catch (IOException | SQLException e) {
            throw new StoreException("cannot create the store " + dir.resolve(FILE_NAME) + ": " + e.getMessage(), e);
        }
        try (Connection c = connect(dir.resolve(FILE_NAME), false, false)) {
            createSchema(c);
        } catch (SQLException e) {
            throw new StoreException("cannot open the store " + dir.resolve(FILE_NAME) + ": " + e.getMessage(), e);
        }
        return new SqliteDatabase(dir);
    }

    /**
     * A new store's file gets {@link #PAGE_BYTES} pages. SQLite fixes the page size when it first writes the file,
     * which switching to WAL does, so the size goes first; a file made before keeps its own (4 KiB) and works as
     * before.
     */
    private static void createWithLargePages(Path file) throws IOException, SQLException {
        if (Files.exists(file) && Files.size(file) > 0) {
            return;
        }
        SqliteNativeLibrary.load();
        SQLiteConfig config = new SQLiteConfig();
        config.setPageSize(PAGE_BYTES);
        try (Connection c = config.createConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode = WAL");
        }
    }

    private static void createSchema(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            int version = s.executeQuery("PRAGMA user_version").getInt(1);
            if (version > SCHEMA_VERSION) {
                throw new SQLException("the store was written by a newer forwarder (schema " + version + ")");
            }
            s.execute("""
                    CREATE TABLE IF NOT EXISTS captures (
                      seq       INTEGER PRIMARY KEY,
                      id        TEXT    NOT NULL UNIQUE,
                      ts        INTEGER NOT NULL,
                      proxy_id  TEXT    NOT NULL,
                      app_label TEXT    NOT NULL,
                      pod_name  TEXT    NOT NULL,
                      cluster   TEXT    NOT NULL,
                      method    TEXT,
                      status    INTEGER,
                      path      TEXT,
                      record    BLOB    NOT NULL
                    )""");
            // Each index ends in ts (and implicitly seq) so "filter, newest first, LIMIT n" walks one index
            // backwards and stops after n rows: no sort, no count, whatever the table's size. Without a filter the
            // walk is on captures_ts_seq_facets (schema 4).
            s.execute("CREATE INDEX IF NOT EXISTS captures_app_ts ON captures(app_label, ts)");
            s.execute("CREATE INDEX IF NOT EXISTS captures_proxy_ts ON captures(proxy_id, ts)");
            s.execute("CREATE INDEX IF NOT EXISTS captures_status_ts ON captures(status, ts)");
            if (version < 2) {
                addFacets(s);
            }
            if (version < 3) {
                addBodySegments(s);
            }
            if (version < 4) {
                mergeTimeIndexes(s);
            }
            s.execute("PRAGMA user_version = " + SCHEMA_VERSION);
        }
    }

    /**
     * Schema 2: the figures the timeline and the endpoints view add up ({@code CaptureFacets}), as columns, and
     * an index that holds every column those two read after the time range: their scan of a time range reads
     * this index only, never the table's rows (whose records are kilobytes). Rows stored before have NULLs, but for
     * their direction: schema 1 had no forward proxy, so every one of them is a client calling the app (inbound),
     * and the {@code direction=inbound} filter must keep finding them.
     */
    private static void addFacets(Statement s) throws SQLException {
        for (String column : new String[] { "direction TEXT", "protocol TEXT", "template TEXT", "duration_ns INTEGER",
                "bytes INTEGER" }) {
            s.execute("ALTER TABLE captures ADD COLUMN " + column);
        }
        s.execute("UPDATE captures SET direction = 'inbound'");
    }

    /**
     * Schema 4: one index on the time instead of two. Schemas 2 and 3 had {@code captures_ts(ts)} and
     * {@code captures_ts_facets(ts, app_label, ...)}, both kept up to date on every insert (the store writer's CPU
     * per row, issues 23 and 24). {@code captures_ts_seq_facets} serves both: seq right after ts keeps "newest
     * first" ({@code ORDER BY ts DESC, seq DESC}) a walk of the index without a sort, and the facets after it keep
     * the timeline and endpoints reading this index only. An existing store's two indexes are replaced on its
     * first open by this version (one index build over the table, once).
     */
    private static void mergeTimeIndexes(Statement s) throws SQLException {
        s.execute("DROP INDEX IF EXISTS captures_ts");
        s.execute("DROP INDEX IF EXISTS captures_ts_facets");
        s.execute("CREATE INDEX IF NOT EXISTS " + TIME_INDEX
                + " ON captures(ts, seq, app_label, method, template, status, duration_ns, bytes)");
    }

    /**
     * Schema 3: large records live in segment files ({@link BodySegments}); their rows keep an empty record and
     * where it is ({@code body_seg}, {@code body_off}, {@code body_len}; NULL: the record is in the row, as in every
     * row stored before). {@code body_segments} holds each segment's committed length (what survives a crash), how
     * many rows still point into it and their bytes; a trigger keeps both as rows are deleted, and a segment whose
     * count is zero is dropped whole: retention reclaims segment space that way. The store's size counts the bytes
     * of the records still there, so that retention by size deletes no more than needed while a segment waits for
     * its last capture to go.
     */
    private static void addBodySegments(Statement s) throws SQLException {
        for (String column : new String[] { "body_seg INTEGER", "body_off INTEGER", "body_len INTEGER" }) {
            s.execute("ALTER TABLE captures ADD COLUMN " + column);
        }
        s.execute("CREATE TABLE IF NOT EXISTS body_segments (id INTEGER PRIMARY KEY, bytes INTEGER NOT NULL,"
                + " live INTEGER NOT NULL, live_bytes INTEGER NOT NULL)");
        s.execute("CREATE TRIGGER IF NOT EXISTS captures_body_gone AFTER DELETE ON captures"
                + " WHEN old.body_seg IS NOT NULL BEGIN UPDATE body_segments"
                + " SET live = live - 1, live_bytes = live_bytes - old.body_len WHERE id = old.body_seg; END");
    }

    /**
     * A connection for the single writer: WAL, fsync on every commit, IMMEDIATE transactions. Opened without
     * SQLite's connection mutex ({@code SQLITE_OPEN_NOMUTEX}): only the store writer thread uses it (the driver's
     * own methods are synchronized besides), and in serialized mode every bind of every value took and released
     * that mutex. Its WAL is checkpointed by a {@link WalCheckpointer}; the writer checkpoints itself only when
     * the WAL has grown past {@link WalCheckpointer#WRITER_FALLBACK_PAGES} (the checkpointer fell behind).
     */
    Connection connectWriter() throws SQLException {
        Connection c = connect(file, false, true);
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA wal_autocheckpoint = " + WalCheckpointer.WRITER_FALLBACK_PAGES);
        }
        return c;
    }

    /** A connection for the {@link WalCheckpointer}'s thread: autocommit, the writer's durability settings. */
    Connection connectCheckpointer() throws SQLException {
        return connect(file, false, false);
    }

    /** A connection that only reads; readers never block the writer in WAL mode. */
    Connection connectReader() throws SQLException {
        return connect(file, true, false);
    }

    private static Connection connect(Path file, boolean readOnly, boolean oneThread) throws SQLException {
        SqliteNativeLibrary.load();
        SQLiteConfig config = new SQLiteConfig();
        if (oneThread) {
            config.setOpenMode(SQLiteOpenMode.NOMUTEX);
        }
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        config.setBusyTimeout(10_000);
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        config.setCacheSize(readOnly ? -16_384 : -65_536);
        config.setJournalSizeLimit(64 * 1024 * 1024);
        // Nothing reads generated keys; with them on, the driver prepares and runs "SELECT last_insert_rowid()"
        // after every INSERT: a second statement per row on the writer thread, which every write goes through.
        config.setGetGeneratedKeys(false);
        Connection c = config.createConnection("jdbc:sqlite:" + file);
        if (readOnly) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA query_only = 1");
            }
            SegmentInstr.register(c, file.getParent());
        }
        return c;
    }

    @Override
    public Path dir() {
        return dir;
    }

    @Override
    public Path file() {
        return file;
    }

    /** Whether DATA_DIR/captures.db is still the file opened (same file key). */
    @Override
    public boolean fileStillInPlace() {
        Object now = fileKey(file);
        return now != null && now.equals(fileKey);
    }

    private static Object fileKey(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }
}
