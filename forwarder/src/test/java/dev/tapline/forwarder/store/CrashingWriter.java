package dev.tapline.forwarder.store;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.tapline.forwarder.store.sqlite.SqliteCaptureSink;
import dev.tapline.forwarder.store.sqlite.SqliteDatabase;

/**
 * Run as its own process by {@link StoreCrashTest}: writes batches to the store under the given directory, for
 * ever, through the real writer, and prints {@code ACKED <n>} once the first n captures are durable, the moment
 * the forwarder would ack them. The test kills it with SIGKILL at some point.
 */
public final class CrashingWriter {
    static final int BATCH = 50;

    public static void main(String[] args) throws Exception {
        SqliteDatabase db = SqliteDatabase.open(Path.of(args[0]));
        StoreWriter writer = new StoreWriter(new SqliteCaptureSink(db), new StoreStatus(), 4, 8192);
        for (int batch = 0;; batch++) {
            List<StoredCapture> rows = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                int n = batch * BATCH + i;
                rows.add(new StoredCapture(id(n), n, "p", "app", "p", "c", "GET", 200, "/", new byte[512]));
            }
            writer.write(rows).get();
            System.out.println("ACKED " + (batch + 1) * BATCH);
            System.out.flush();
        }
    }

    static String id(int n) {
        return "crash-" + n;
    }
}
