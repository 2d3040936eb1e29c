package dev.tapline.goproxy.proxy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;

/**
 * One HTTP/1 message head as the forward proxy reads it: the start line's three parts and the header fields in
 * wire order. Bounded: a head longer than {@link #MAX_BYTES} or with more than {@link #MAX_FIELDS} fields is
 * malformed, never buffered further.
 *
 * @param first  method, or version of a response
 * @param second request-target, or status code
 * @param third  version, or reason phrase (may be empty)
 */
record HttpHead(String first, String second, String third, List<String[]> fields) {
    static final int MAX_BYTES = 64 * 1024;
    static final int MAX_FIELDS = 256;

    /** A head that cannot be read; {@code getMessage()} says why (for the 400's body and the log). */
    static final class Malformed extends Exception {
        Malformed(String why) {
            super(why, null, false, false);
        }
    }

    /**
     * Length of the head at the start of {@code buf} (through the blank line), or -1 while it is incomplete.
     * @throws Malformed when no end came within {@link #MAX_BYTES}
     */
    static int length(ByteBuf buf) throws Malformed {
        int from = buf.readerIndex();
        int limit = Math.min(buf.writerIndex(), from + MAX_BYTES);
        for (int i = from; i + 3 < limit; i++) {
            if (buf.getByte(i) == '\r' && buf.getByte(i + 1) == '\n' && buf.getByte(i + 2) == '\r'
                    && buf.getByte(i + 3) == '\n') {
                return i + 4 - from;
            }
        }
        if (buf.readableBytes() >= MAX_BYTES) {
            throw new Malformed("head longer than " + MAX_BYTES + " bytes");
        }
        return -1;
    }

    /** Reads a head of {@code length} bytes (from {@link #length}) without consuming it. */
    static HttpHead parse(ByteBuf buf, int length) throws Malformed {
        // lines cut by indexOf: String.split("\r\n") compiles a regex per call, a tenth of this method's time
        String text = buf.toString(buf.readerIndex(), length - 4, StandardCharsets.ISO_8859_1);
        int eol = text.indexOf("\r\n");
        String start = eol < 0 ? text : text.substring(0, eol);
        int sp1 = start.indexOf(' ');
        int sp2 = sp1 < 0 ? -1 : start.indexOf(' ', sp1 + 1);
        if (sp1 <= 0 || sp2 < 0) {
            throw new Malformed("start line is not three parts: " + printable(start));
        }
        List<String[]> fields = new ArrayList<>(8);
        for (int from = eol; from >= 0;) {
            int next = text.indexOf("\r\n", from + 2);
            String line = text.substring(from + 2, next < 0 ? text.length() : next);
            if (fields.size() == MAX_FIELDS) {
                throw new Malformed("more than " + MAX_FIELDS + " header fields");
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !isToken(line, colon) || hasControl(line)) {
                throw new Malformed("bad header field: " + printable(line));
            }
            fields.add(new String[] {line.substring(0, colon), line.substring(colon + 1).strip()});
            from = next;
        }
        return new HttpHead(start.substring(0, sp1), start.substring(sp1 + 1, sp2), start.substring(sp2 + 1), fields);
    }

    /** The values of every field named {@code name}, in order. */
    List<String> values(String name) {
        List<String> out = new ArrayList<>(1);
        for (String[] f : fields) {
            if (f[0].equalsIgnoreCase(name)) {
                out.add(f[1]);
            }
        }
        return out;
    }

    /** The tokens of the comma-separated fields named {@code name}, lower case (e.g. the fields Connection names). */
    java.util.Set<String> tokens(String name) {
        java.util.Set<String> out = null;
        for (String v : values(name)) {
            for (String t : v.split(",")) {
                if (out == null) {
                    out = new java.util.HashSet<>(4);
                }
                out.add(t.strip().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return out == null ? java.util.Set.of() : out;
    }

    /** Whether a comma-separated field named {@code name} lists {@code token} (case-insensitive). */
    boolean hasToken(String name, String token) {
        for (String v : values(name)) {
            for (String t : v.split(",")) {
                if (t.strip().equalsIgnoreCase(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean isToken(String s, int end) {
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
                return false;
            }
        }
        return end > 0;
    }

    private static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < ' ' && c != '\t') || c == 127) {
                return true;
            }
        }
        return false;
    }

    static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        StringBuilder out = new StringBuilder(cut.length());
        for (char c : cut.toCharArray()) {
            out.append(c < ' ' || c >= 127 ? '?' : c);
        }
        return out.toString();
    }
}
