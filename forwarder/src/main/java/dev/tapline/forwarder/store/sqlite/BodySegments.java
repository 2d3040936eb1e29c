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
import java.util.function.ToLongFunction;

import com.sun.nio.file.ExtendedOpenOption;

/**
 * Large records in append-only segment files beside the database ({@code bodies-00000001.seg}, ...), SQLite
 * keeping only where each one is ({@link BodyPlace}). A record in a row is written twice (WAL, then the checkpoint);
 * here it is written once. Measured in docs/benchmarks/2026-12-03-store.md (BodyStoreBench): 0.4x the writer's CPU and half the bytes
 * written of a 64 KiB record in the row.
 *
 * <pre>
 *   append: the batch's records copied into one direct buffer, written     (direct I/O where the file system
 *           from a block boundary in whole blocks, fdatasync                has it; the last block zero-padded)
 *                                                                           (the bodies are durable)
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
    // a whole number of blocks; a group of records is written in pieces of this size
    private static final int WRITE_BUFFER_BYTES = 1 << 20;
    /** Beyond this a group's padding to a whole block costs more than direct I/O saves. */
    private static final int MAX_DIRECT_BLOCK = 64 * 1024;

    private final Path dir;
    private final long rollBytes;
    private final long active;
    private final ToLongFunction<Path> blockSizeOf;
    private FileChannel channel;
    private long current;
    private long end;
    private int block = 1;
    private ByteBuffer writeBuffer;

    private BodySegments(Path dir, long rollBytes, long next, ToLongFunction<Path> blockSizeOf) {
        this.dir = dir;
        this.rollBytes = rollBytes;
        this.active = next;
        this.blockSizeOf = blockSizeOf;
        this.current = next - 1;
    }

    /**
     * Recovers the segments of {@code dir} against the committed lengths (segment id to bytes) and returns the
     * segments, ready to append to a new segment.
     */
    static BodySegments open(Path dir, Map<Long, Long> committed, long rollBytes) throws IOException {
        return open(dir, committed, rollBytes, BodySegments::reportedBlockSize);
    }

    /**
     * As {@link #open(Path, Map, long)}, with the file system's block size for a new segment file given by
     * {@code blockSizeOf} (0 when unknown: buffered writes, as where the file system has no direct I/O).
     */
    static BodySegments open(Path dir, Map<Long, Long> committed, long rollBytes, ToLongFunction<Path> blockSizeOf)
            throws IOException {
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
        return new BodySegments(dir, rollBytes, last + 1, blockSizeOf);
    }

    /** Appends the records to the current segment, durably; returns where each one is, in order. */
    List<BodyPlace> append(List<byte[]> records) throws IOException {
        if (channel == null || end >= rollBytes) {
            roll();
        }
        List<BodyPlace> places = new ArrayList<>(records.size());
        // the file's end, rounded up to a block: a failed batch's bytes stay behind as dead space, never reused
        long at = alignUp(channel.size());
        long written = at;
        ByteBuffer buffer = writeBuffer.clear();
        for (byte[] record : records) {
            places.add(new BodyPlace(current, at, record.length));
            at += record.length;
            for (int from = 0; from < record.length; ) {
                int n = Math.min(buffer.remaining(), record.length - from);
                buffer.put(record, from, n);
                from += n;
                if (!buffer.hasRemaining()) {
                    written = write(buffer, written);
                }
            }
        }
        while (buffer.position() % block != 0) {
            buffer.put((byte) 0); // the group's last block, padded: direct I/O writes whole blocks
        }
        end = write(buffer, written);
        channel.force(false);
        return places;
    }

    /** Writes the buffer's bytes at {@code at}; returns the position after them, with the buffer cleared. */
    private long write(ByteBuffer buffer, long at) throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
        }
        buffer.clear();
        return at;
    }

    private long alignUp(long position) {
        return (position + block - 1) / block * block;
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
        channel = openForAppend(file(dir, current));
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true); // the new name is durable before any committed row points into the file
        }
    }

    /**
     * The new segment, opened for direct I/O where the file system has it: the records go from our buffer to the
     * disk without a copy into the page cache, whose fresh pages cost more than the write itself (perf of the store
     * writer: {@code copy_folio_from_iter_atomic}, 70 % of its CPU). Elsewhere a buffered write of the same buffer.
     */
    private FileChannel openForAppend(Path file) throws IOException {
        FileChannel c = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        int direct = directBlock(blockSizeOf.applyAsLong(file));
        if (direct > 1) {
            try {
                FileChannel d = FileChannel.open(file, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
                c.close();
                c = d;
            } catch (IOException | UnsupportedOperationException e) {
                direct = 1; // no direct I/O here (tmpfs on older kernels, some overlays): buffered, no padding
            }
        }
        if (writeBuffer == null || block != direct) {
            block = direct;
            writeBuffer = ByteBuffer.allocateDirect(WRITE_BUFFER_BYTES + block).alignedSlice(block)
                    .slice(0, WRITE_BUFFER_BYTES);
        }
        return c;
    }

    private static long reportedBlockSize(Path file) {
        try {
            return Files.getFileStore(file).getBlockSize();
        } catch (IOException | UnsupportedOperationException e) {
            return 0;
        }
    }

    /**
     * The block that direct I/O writes whole, from the file system's reported block size; 1 (buffered writes, no
     * padding) when it is unknown, or too large to pad every group to (network file systems report their transfer
     * size, up to MiBs), or does not divide the write buffer.
     */
    static int directBlock(long reported) {
        return reported > 1 && reported <= MAX_DIRECT_BLOCK && WRITE_BUFFER_BYTES % reported == 0 ? (int) reported : 1;
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
