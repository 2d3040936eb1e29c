package dev.tapline.forwarder.store.sqlite;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * {@link BodyStoreBench}'s {@code rocksdb-blob} way: the bodies in RocksDB with its BlobDB on (values of 4 KiB and
 * more go to blob files at flush), written with the WAL synced per batch as the sink commits. Compiled only with
 * {@code -Procksdb-bench}: rocksdbjni is a 29 MB jar that the forwarder does not ship.
 */
final class RocksBlobBodies implements BodyStoreBench.BodyAppender {
    private static final long LOAD_NANOS;

    static {
        long t0 = System.nanoTime();
        RocksDB.loadLibrary();
        LOAD_NANOS = System.nanoTime() - t0;
        System.out.printf("BENCH body-store rocksdb: loading the native library took %.0f ms%n", LOAD_NANOS / 1e6);
    }

    private final Options options;
    private final RocksDB db;
    private final WriteOptions sync = new WriteOptions().setSync(true);
    private long next;
    private long stored;

    public RocksBlobBodies(Path dir) throws RocksDBException {
        options = new Options().setCreateIfMissing(true).setEnableBlobFiles(true).setMinBlobSize(4096)
                .setBlobFileSize(64L << 20).setEnableBlobGarbageCollection(true).setWriteBufferSize(64L << 20);
        db = RocksDB.open(options, dir.resolve("rocksdb").toString());
    }

    @Override
    public List<byte[]> append(byte[][] records, int first, int count) throws RocksDBException {
        List<byte[]> keys = new ArrayList<>(count);
        try (WriteBatch batch = new WriteBatch()) {
            for (int k = 0; k < count; k++) {
                byte[] record = records[(first + k) % records.length];
                byte[] key = ByteBuffer.allocate(8).putLong(next++).array();
                batch.put(key, record);
                keys.add(key);
                stored += record.length;
            }
            db.write(sync, batch);
        }
        return keys;
    }

    @Override
    public long stored() {
        return stored;
    }

    @Override
    public void close() throws RocksDBException {
        db.flushWal(true);
        db.close();
        options.close();
        sync.close();
    }
}
