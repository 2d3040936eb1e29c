package dev.tapline.forwarder.store;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import dev.tapline.forwarder.store.CaptureReader.CaptureRef;

/**
 * The captures behind a list of refs, read from the store a group at a time as the iteration reaches them. A group
 * holds at most {@code maxRecords} captures and at most {@code maxBytes} of records (a capture larger than that
 * is a group of its own), so memory stays bounded whatever the bodies, while small captures still come a few
 * hundred per query rather than one per query.
 */
public final class CapturesInGroups implements Iterable<StoredCapture> {
    /** Captures per query, at most. */
    public static final int MAX_RECORDS = 256;
    /** Record bytes per query, at most (unless one capture alone is larger). */
    public static final long MAX_BYTES = 8L << 20;

    private final CaptureReader reader;
    private final List<CaptureRef> refs;
    private final int maxRecords;
    private final long maxBytes;

    public CapturesInGroups(CaptureReader reader, List<CaptureRef> refs) {
        this(reader, refs, MAX_RECORDS, MAX_BYTES);
    }

    CapturesInGroups(CaptureReader reader, List<CaptureRef> refs, int maxRecords, long maxBytes) {
        this.reader = reader;
        this.refs = refs;
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
    }

    @Override
    public Iterator<StoredCapture> iterator() {
        return new Iterator<>() {
            private int next;
            private Iterator<StoredCapture> group = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!group.hasNext() && next < refs.size()) {
                    int from = next;
                    long bytes = 0;
                    while (next < refs.size() && next - from < maxRecords
                            && (next == from || bytes + refs.get(next).recordBytes() <= maxBytes)) {
                        bytes += refs.get(next).recordBytes();
                        next++;
                    }
                    group = reader.byIds(refs.subList(from, next).stream().map(CaptureRef::id).toList()).iterator();
                }
                return group.hasNext();
            }

            @Override
            public StoredCapture next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return group.next();
            }
        };
    }
}
