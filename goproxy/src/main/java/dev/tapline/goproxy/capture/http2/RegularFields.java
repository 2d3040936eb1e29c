package dev.tapline.goproxy.capture.http2;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.tapline.goproxy.capture.HeaderBlock;
import dev.tapline.goproxy.capture.HttpHeader;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;

/**
 * The regular (non-pseudo) fields of one decoded HTTP/2 header block, in received order with duplicates, as a
 * {@link HeaderBlock}: one byte array holding every name and value and an offset table.
 *
 * <p>Why: HPACK hands over each name and value as bytes ({@link AsciiString}). Turning them into two strings and a
 * record per field, an {@code ArrayList}, then an immutable copy of that list for the capture record, and finally
 * encoding the strings again as UTF-8, was a third of what capturing a small stream cost. The block is made once
 * and the encoder copies its bytes as they are. Its fields read as the same strings as before: each byte one
 * ISO-8859-1 char, as {@link AsciiString#toString()} decodes them.
 */
final class RegularFields {
    private RegularFields() {
    }

    /** The regular fields of {@code headers}; pseudo-header fields (":path", ":status", ...) are left out. */
    static List<HttpHeader> of(Http2Headers headers) {
        if (headers instanceof FlatHeaders flat) {
            return of(flat);
        }
        return asRecords(headers); // not from goproxy's HPACK decoder (a test's, a block built in code)
    }

    /** What the block's fields weigh against the connection's budget, pseudo-header fields included. */
    static long budgetBytes(Http2Headers headers) {
        long bytes = 0;
        if (headers instanceof FlatHeaders flat) {
            for (int i = 0, n = flat.size(); i < n; i++) {
                bytes += flat.name(i).length() + flat.value(i).length() + ConnectionBudget.FIELD_OVERHEAD;
            }
            return bytes;
        }
        for (Map.Entry<CharSequence, CharSequence> e : headers) {
            bytes += e.getKey().length() + e.getValue().length() + ConnectionBudget.FIELD_OVERHEAD;
        }
        return bytes;
    }

    private static List<HttpHeader> of(FlatHeaders headers) {
        int count = 0;
        int bytes = 0;
        int n = headers.size();
        for (int i = 0; i < n; i++) {
            CharSequence name = headers.name(i);
            if (isPseudo(name)) {
                continue;
            }
            if (!(name instanceof AsciiString) || !(headers.value(i) instanceof AsciiString)) {
                return asRecords(headers);
            }
            count++;
            bytes += name.length() + headers.value(i).length();
        }
        if (count == 0) {
            return List.of();
        }
        byte[] block = new byte[bytes];
        int[] offsets = new int[4 * count];
        int at = 0;
        int o = 0;
        for (int i = 0; i < n; i++) {
            CharSequence name = headers.name(i);
            if (isPseudo(name)) {
                continue;
            }
            offsets[o++] = at;
            at = copy((AsciiString) name, block, at);
            offsets[o++] = at;
            offsets[o++] = at;
            at = copy((AsciiString) headers.value(i), block, at);
            offsets[o++] = at;
        }
        int high = 0;
        for (byte b : block) {
            high |= b;
        }
        return new HeaderBlock(block, offsets, count, high >= 0);
    }

    /** A pseudo-header field, or an empty name: neither is a regular field. */
    private static boolean isPseudo(CharSequence name) {
        return name.length() == 0 || name.charAt(0) == ':';
    }

    private static int copy(AsciiString s, byte[] to, int at) {
        int n = s.length();
        System.arraycopy(s.array(), s.arrayOffset(), to, at, n);
        return at + n;
    }

    /** One record per field, as the fields' own strings. */
    private static List<HttpHeader> asRecords(Http2Headers headers) {
        List<HttpHeader> out = new ArrayList<>(headers.size());
        for (Map.Entry<CharSequence, CharSequence> e : headers) {
            CharSequence name = e.getKey();
            if (!isPseudo(name)) {
                out.add(new HttpHeader(name.toString(), e.getValue().toString()));
            }
        }
        return out;
    }
}
