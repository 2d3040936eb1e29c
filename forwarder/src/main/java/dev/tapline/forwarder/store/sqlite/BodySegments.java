package dev.tapline.forwarder.store.sqlite;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Large records in append-only segment files beside the database ({@code bodies-00000001.seg}, ...), SQLite
 * keeping only where each one is ({@link BodyPlace}). A record in a row is written twice (WAL, then the checkpoint);
 * here it is written once. Measured in docs/benchmarks/2026-12-03-store.md (BodyStoreBench): 0.4x the writer's CPU and half the bytes
 * written of a 64 KiB record in the row.
 *
 * <pre>
 *   append: one gathering write of the batch's records, fdatasync          (the bodies are durable)
 *   then the sink inserts the rows that point at them and commits          (the rows are durable: ack)
 *   open:   a segment longer than its committed length (body_segments.bytes) is cut back to it: the tail is a
 *           batch whose commit never happened; a file with no body_segments row is such a batch's new segment
 * </pre>
 *
 * Because the bodies are durable before the rows that point at them, no row ever points at a missing body, and
 * what a crash leaves past the committed length was never acked. Each open starts a new segment, so a segment is
 * appended by one process lifetime only. Used by the writer thread; {@link #read} by any thread.
 */
final class BodySegments implements AutoCloseable {
    private static final String PREFIX = "bodies-";
    private static final String SUFFIX = ".seg";

    private final Path dir;
    private final long rollBytes;
    private final long active;
    private FileChannel channel;
    private long current;
    private long end;

    private BodySegments(Path dir, long rollBytes, long next) {
        this.dir = dir;
        this.rollBytes = rollBytes;
        this.active = next;
        this.current = next - 1;
    }

    /**
     * Recovers the segments of {@code dir} against the committed lengths (segment id to bytes) and returns the
     * segments, ready to append to a new segment.
     */
    static BodySegments open(Path dir, Map<Long, Long> committed, long rollBytes) throws IOException {
        long last = committed.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX)) {
            for (Path file : files) {
                long id = idOf(file);
                last = Math.max(last, id);
                Long bytes = committed.get(id);
                if (bytes == null) {
                    Files.delete(file); // never committed, or dropped by retention before a crash
                } else if (Files.size(file) > bytes) {
                    try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
                        c.truncate(bytes);
                        c.force(true);
                    }
                }
            }
        }
        return new BodySegments(dir, rollBytes, last + 1);
    }

    /** Appends the records to the current segment, durably; returns where each one is, in order. */
    List<BodyPlace> append(List<byte[]> records) throws IOException {
        if (channel == null || end >= rollBytes) {
            roll();
        }
        ByteBuffer[] buffers = new ByteBuffer[records.size()];
        List<BodyPlace> places = new ArrayList<>(records.size());
        // the channel's position is the file's end: a failed batch's bytes stay behind as dead space, never reused
        long start = channel.position();
        long at = start;
        for (int i = 0; i < buffers.length; i++) {
            byte[] record = records.get(i);
            buffers[i] = ByteBuffer.wrap(record);
            places.add(new BodyPlace(current, at, record.length));
            at += record.length;
        }
        long left = at - start;
        while (left > 0) {
            left -= channel.write(buffers);
        }
        channel.force(false);
        end = at;
        return places;
    }

    /** The segment being appended to (never dropped), and its length so far. */
    long current() {
        return current;
    }

    long end() {
        return end;
    }

    /** Whether {@code id} may be dropped: not written by this process's current segment. */
    boolean droppable(long id) {
        return id != current;
    }

    void drop(long id) throws IOException {
        Files.deleteIfExists(file(dir, id));
    }

    private void roll() throws IOException {
        if (channel != null) {
            channel.close();
        }
        current = Math.max(current + 1, active);
        end = 0;
        channel = FileChannel.open(file(dir, current), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true); // the new name is durable before any committed row points into the file
        }
    }

    /** Reads one record back; a {@link java.nio.file.NoSuchFileException} when retention dropped its segment. */
    static byte[] read(Path dir, BodyPlace place) throws IOException {
        byte[] record = new byte[place.length()];
        ByteBuffer buffer = ByteBuffer.wrap(record);
        try (FileChannel c = FileChannel.open(file(dir, place.segment()), StandardOpenOption.READ)) {
            long at = place.offset();
            while (buffer.hasRemaining()) {
                int n = c.read(buffer, at);
                if (n < 0) {
                    throw new EOFException("segment " + place.segment() + " ends before " + place);
                }
                at += n;
            }
        }
        return record;
    }

    static Path file(Path dir, long id) {
        return dir.resolve(String.format("%s%08d%s", PREFIX, id, SUFFIX));
    }

    private static long idOf(Path file) {
        String name = file.getFileName().toString();
        return Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }

    /** Where one record is: segment, byte offset, length. */
    record BodyPlace(long segment, long offset, int length) {
    }
}
