package dev.tapline.goproxy.capture.http2;

import java.util.AbstractMap;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;

import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Headers.PseudoHeaderName;
import io.netty.util.AsciiString;

/**
 * The fields of one decoded header block in received order, as HPACK hands them over: two arrays, no hash table.
 *
 * <p>Why: Netty's {@code DefaultHttp2Headers} hashes every field into buckets and allocates an entry per field,
 * for look-ups a passive decoder never makes: it reads the five pseudo-header fields once and copies the rest in
 * order into the capture ({@link RegularFields}). Filling that table was about a sixth of what capturing a small
 * stream cost (JFR, docs/benchmarks/2026-12-03-capture-2.md).
 *
 * <p>Only what the decoder reads is kept in step: {@link #add}, the pseudo-header getters, {@link #get},
 * {@link #size}, {@link #isEmpty}, {@link #iterator} and {@link #name}/{@link #value}. The rest of the
 * {@code Http2Headers} API sees an empty block: this class is made only by {@link #decoder} and never leaves the
 * HTTP/2 decoder.
 */
final class FlatHeaders extends io.netty.handler.codec.http2.DefaultHttp2Headers {
    /** Name, value, name, value... */
    private CharSequence[] fields;
    private int size;

    /** @param sizeGuess how many fields the block likely has (Netty's running guess from the blocks before) */
    private FlatHeaders(int sizeGuess) {
        super(false, false, 1);
        fields = new CharSequence[2 * Math.max(4, sizeGuess)];
    }

    /** Netty's HPACK decoder filling flat blocks; {@code maxHeaderListBytes} as Netty's own decoder takes it. */
    static DefaultHttp2HeadersDecoder decoder(long maxHeaderListBytes) {
        return new DefaultHttp2HeadersDecoder(false, maxHeaderListBytes) {
            @Override
            protected Http2Headers newHeaders() {
                return new FlatHeaders(numberOfHeadersGuess());
            }
        };
    }

    @Override
    public Http2Headers add(CharSequence name, CharSequence value) {
        if (2 * size == fields.length) {
            fields = Arrays.copyOf(fields, 4 * size);
        }
        fields[2 * size] = name;
        fields[2 * size + 1] = value;
        size++;
        return this;
    }

    /** Field {@code i}'s name, in received order. */
    CharSequence name(int i) {
        return fields[2 * i];
    }

    /** Field {@code i}'s value. */
    CharSequence value(int i) {
        return fields[2 * i + 1];
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    /** The first value of the field named exactly {@code name} (HTTP/2 names are lower case), or null. */
    @Override
    public CharSequence get(CharSequence name) {
        for (int i = 0; i < size; i++) {
            if (AsciiString.contentEquals(fields[2 * i], name)) {
                return fields[2 * i + 1];
            }
        }
        return null;
    }

    @Override
    public CharSequence method() {
        return get(PseudoHeaderName.METHOD.value());
    }

    @Override
    public CharSequence scheme() {
        return get(PseudoHeaderName.SCHEME.value());
    }

    @Override
    public CharSequence authority() {
        return get(PseudoHeaderName.AUTHORITY.value());
    }

    @Override
    public CharSequence path() {
        return get(PseudoHeaderName.PATH.value());
    }

    @Override
    public CharSequence status() {
        return get(PseudoHeaderName.STATUS.value());
    }

    @Override
    public Iterator<Map.Entry<CharSequence, CharSequence>> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < size;
            }

            @Override
            public Map.Entry<CharSequence, CharSequence> next() {
                if (next >= size) {
                    throw new NoSuchElementException();
                }
                int i = next++;
                return new AbstractMap.SimpleImmutableEntry<>(fields[2 * i], fields[2 * i + 1]);
            }
        };
    }
}
