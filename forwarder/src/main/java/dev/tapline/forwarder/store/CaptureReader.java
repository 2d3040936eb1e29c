package dev.tapline.forwarder.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The read side of the store, for the read API. Safe to call from many threads while the writer writes. */
public interface CaptureReader {

    /**
     * The captures matching the query, newest first (by start time, then by arrival), whole. Made of
     * {@link #findRefs} and {@link #byIds}, the calls the read API makes (in groups), so the two cannot disagree.
     */
    default List<StoredCapture> find(CaptureQuery query) {
        List<String> ids = findRefs(query).stream().map(CaptureRef::id).toList();
        List<StoredCapture> found = new ArrayList<>(ids.size());
        // in groups, as the read API reads them: one statement per id list, and SQLite bounds its parameters
        for (int from = 0; from < ids.size(); from += FIND_GROUP) {
            found.addAll(byIds(ids.subList(from, Math.min(ids.size(), from + FIND_GROUP))));
        }
        return found;
    }

    /** Ids per {@link #byIds} call in {@link #find}. */
    int FIND_GROUP = 256;

    /**
     * The captures matching the query, in {@link #find}'s order, as ids and stored sizes, without reading the
     * records: a caller can then read them in groups of bounded size with {@link #byIds}.
     */
    List<CaptureRef> findRefs(CaptureQuery query);

    /** The captures with these ids, in this order; those no longer stored (retention) are left out. */
    List<StoredCapture> byIds(List<String> ids);

    /** A capture's id and the bytes of its stored record. */
    record CaptureRef(String id, long recordBytes) {
    }

    /** The capture with this id, if stored. */
    Optional<StoredCapture> byId(String id);
}
