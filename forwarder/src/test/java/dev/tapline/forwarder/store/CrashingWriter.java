package dev.tapline.forwarder.store;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.tapline.forwarder.store.sqlite.SqliteCaptureSink;
import dev.tapline.forwarder.store.sqlite.SqliteDatabase;

/**
 * Run as its own process by {@link StoreCrashTest}: writes batches to the store under the given directory, for
 * ever, through the real writer, and prints {@code ACKED <n>} once the first n captures are durable, the moment
 * the forwarder would ack them. The test kills it with SIGKILL at some point. A second argument sets the records'
 * size (512 bytes by default; 64 KiB ones go to segment files); each record's bytes are {@link #record}'s.
 */
public final class CrashingWriter {
    static final int BATCH = 50;

    public static void main(String[] args) throws Exception {
        SqliteDatabase db = SqliteDatabase.open(Path.of(args[0]));
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 512;
        StoreWriter writer = new StoreWriter(new SqliteCaptureSink(db), new StoreStatus(), 4, 8192);
        for (int batch = 0;; batch++) {
            List<StoredCapture> rows = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                int n = batch * BATCH + i;
                rows.add(new StoredCapture(id(n), n, "p", "app", "p", "c", "GET", 200, "/", record(n, size)));
            }
            writer.write(rows).get();
            System.out.println("ACKED " + (batch + 1) * BATCH);
            System.out.flush();
        }
    }

    /** Capture n's record: its own bytes, so that a record read back can be told from another's. */
    static byte[] record(int n, int size) {
        byte[] record = new byte[size];
        Arrays.fill(record, (byte) n);
        ByteBuffer.wrap(record).putInt(n).putInt(size - 8, n);
        return record;
    }

    static String id(int n) {
        return "crash-" + n;
    }
}
