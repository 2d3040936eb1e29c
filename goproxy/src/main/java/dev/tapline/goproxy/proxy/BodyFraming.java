package dev.tapline.goproxy.proxy;

import io.netty.buffer.ByteBuf;

/**
 * Where a proxied message's body ends, so that the next message on a keep-alive connection is read as one
 * (RFC 9112 section 6): none, a Content-Length, or chunked framing, which is followed chunk by chunk without
 * buffering (sizes and trailers are bounded, data is only counted). Requests from the app and the origin's
 * responses (whose connection is kept for the next request when the response ends by its framing).
 */
final class BodyFraming {
    private static final int MAX_LINE = 4096;

    private enum State { SIZE, DATA, DATA_CRLF, TRAILERS, DONE }

    private final boolean chunked;
    private long remaining;
    private State state;
    private int lineLength;
    private long chunkSize;
    private boolean sawDigit;
    private boolean inExtension;

    private BodyFraming(boolean chunked, long length) {
        this.chunked = chunked;
        this.remaining = length;
        this.state = chunked ? State.SIZE : (length == 0 ? State.DONE : State.DATA);
    }

    /** The framing a request head declares. */
    static BodyFraming ofRequest(HttpHead head) throws HttpHead.Malformed {
        var te = head.values("Transfer-Encoding");
        var cl = head.values("Content-Length");
        if (!te.isEmpty()) {
            if (!cl.isEmpty()) {
                throw new HttpHead.Malformed("both Transfer-Encoding and Content-Length");
            }
            String all = String.join(",", te).strip();
            String[] codings = all.split(",");
            if (!codings[codings.length - 1].strip().equalsIgnoreCase("chunked")) {
                throw new HttpHead.Malformed("Transfer-Encoding must end with chunked: " + HttpHead.printable(all));
            }
            return new BodyFraming(true, 0);
        }
        return new BodyFraming(false, contentLength(cl));
    }

    /**
     * The framing of a final response (status 200 and up) to a request with {@code method}, or null when its body
     * ends only when the origin closes (no length, or a transfer coding other than chunked last: RFC 9112 6.3).
     * @throws HttpHead.Malformed on a bad or conflicting Content-Length
     */
    static BodyFraming ofResponse(HttpHead response, int status, String method) throws HttpHead.Malformed {
        if (method.equals("HEAD") || status == 204 || status == 304) {
            return new BodyFraming(false, 0);
        }
        var te = response.values("Transfer-Encoding");
        if (!te.isEmpty()) {
            String[] codings = String.join(",", te).split(",");
            boolean chunked = codings[codings.length - 1].strip().equalsIgnoreCase("chunked");
            return chunked ? new BodyFraming(true, 0) : null;
        }
        var cl = response.values("Content-Length");
        return cl.isEmpty() ? null : new BodyFraming(false, contentLength(cl));
    }

    private static long contentLength(java.util.List<String> cl) throws HttpHead.Malformed {
        long length = 0;
        for (String v : cl) {
            for (String part : v.split(",")) {
                String p = part.strip();
                if (p.isEmpty() || p.length() > 18 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    throw new HttpHead.Malformed("bad Content-Length " + HttpHead.printable(v));
                }
                long n = Long.parseLong(p);
                if (length != 0 && n != length) {
                    throw new HttpHead.Malformed("differing Content-Length values");
                }
                length = n;
            }
        }
        return length;
    }

    boolean done() {
        return state == State.DONE;
    }

    /**
     * How many of {@code buf}'s readable bytes (not consumed) still belong to this body; the rest is the next
     * request.
     * @throws HttpHead.Malformed on broken chunked framing
     */
    int take(ByteBuf buf) throws HttpHead.Malformed {
        int from = buf.readerIndex();
        int end = buf.writerIndex();
        int i = from;
        while (i < end && state != State.DONE) {
            if (state == State.DATA) {
                int n = (int) Math.min(remaining, end - i);
                i += n;
                remaining -= n;
                if (remaining == 0) {
                    state = chunked ? State.DATA_CRLF : State.DONE;
                    lineLength = 0;
                }
                continue;
            }
            byte b = buf.getByte(i++);
            if (++lineLength > MAX_LINE) {
                throw new HttpHead.Malformed("chunk line longer than " + MAX_LINE + " bytes");
            }
            switch (state) {
                case SIZE -> size(b);
                case DATA_CRLF -> {
                    if (b == '\n') {
                        state = State.SIZE;
                        lineLength = 0;
                    } else if (b != '\r') {
                        throw new HttpHead.Malformed("chunk data not followed by CRLF");
                    }
                }
                case TRAILERS -> {
                    if (b == '\n') {
                        if (lineLength <= 2) {
                            state = State.DONE; // the blank line ending the trailers
                        }
                        lineLength = 0;
                    }
                }
                default -> throw new IllegalStateException(state.name());
            }
        }
        return i - from;
    }

    private void size(byte b) throws HttpHead.Malformed {
        if (b == '\n') {
            if (!sawDigit) {
                throw new HttpHead.Malformed("chunk size missing");
            }
            lineLength = 0;
            sawDigit = false;
            inExtension = false;
            if (chunkSize == 0) {
                state = State.TRAILERS;
            } else {
                remaining = chunkSize;
                chunkSize = 0;
                state = State.DATA;
            }
            return;
        }
        if (inExtension || b == '\r') {
            return;
        }
        int digit = Character.digit(b, 16);
        if (digit >= 0) {
            if (chunkSize > (Long.MAX_VALUE >> 4)) {
                throw new HttpHead.Malformed("chunk size too large");
            }
            chunkSize = (chunkSize << 4) | digit;
            sawDigit = true;
        } else if (b == ';' || b == ' ' || b == '\t') {
            inExtension = true;
        } else {
            throw new HttpHead.Malformed("bad chunk size");
        }
    }
}
