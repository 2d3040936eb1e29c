package dev.tapline.forwarder.store.sqlite;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

import org.sqlite.Function;

/**
 * {@code segment_instr(body_seg, body_off, body_len, needle)}: SQLite's {@code instr(record, needle)} for a record
 * kept in a segment file ({@link BodySegments}), so the read API's text search finds bytes in every record
 * wherever it lives. Returns the 1-based position of the first match, 0 when there is none or the segment was
 * dropped meanwhile (the row is being deleted by retention).
 */
final class SegmentInstr extends Function {
    static final String NAME = "segment_instr";

    private final Path dir;

    private SegmentInstr(Path dir) {
        this.dir = dir;
    }

    static void register(Connection c, Path dir) throws SQLException {
        Function.create(c, NAME, new SegmentInstr(dir), 4, FLAG_DETERMINISTIC);
    }

    @Override
    protected void xFunc() throws SQLException {
        byte[] needle = value_blob(3);
        BodySegments.BodyPlace place = new BodySegments.BodyPlace(value_long(0), value_long(1), value_int(2));
        try {
            result(indexOf(BodySegments.read(dir, place), needle == null ? new byte[0] : needle) + 1);
        } catch (NoSuchFileException e) {
            result(0);
        } catch (IOException e) {
            error("cannot read segment " + place.segment() + ": " + e.getMessage());
        }
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (haystack[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
