package dev.tapline.goproxy.capture.http2;

import java.util.ArrayList;
import java.util.List;

import dev.tapline.goproxy.capture.Http2StreamRecord;
import dev.tapline.goproxy.capture.HttpExchangeRecord;
import dev.tapline.goproxy.capture.HttpHeader;
import dev.tapline.goproxy.capture.HttpRequestRecord;
import dev.tapline.goproxy.capture.HttpResponseRecord;
import dev.tapline.goproxy.capture.MessageBody;
import dev.tapline.goproxy.capture.ResponseHead;
import dev.tapline.goproxy.capture.BodyBuffer;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2Headers;

/**
 * One stream being observed: what each side said so far. The request side is the client's (or, for a pushed
 * stream, the PUSH_PROMISE's), the response side the app's. Bodies keep only their first {@code bodyCap} bytes.
 */
final class StreamState {
    static final String VERSION = "HTTP/2.0";

    final int id;
    final long startNanos;
    /** 0 once the stream is dropped: its bodies are then only counted. */
    private int bodyCap;
    private final boolean pushed;
    private boolean dropped;
    private final int promisedOn;
    private final ConnectionBudget budget;
    /** What this stream has charged to the connection's budget, given back when it is captured. */
    private long charged;

    private String method = "";
    private String path = "";
    private String authority = "";
    private String scheme = "";
    private List<HttpHeader> requestHeaders = List.of();
    private List<HttpHeader> requestTrailers = List.of();
    private BodyBuffer requestBody;
    /** The request's content-length, -1 when none. */
    private long requestLength = -1;
    private boolean requestSeen;
    /** Stream 1 after an HTTP/1.1 Upgrade: its request, in HTTP/2 form; else null. */
    private HttpRequestRecord upgraded;
    private boolean requestEnded;

    private int status;
    private List<HttpHeader> responseHeaders = List.of();
    private List<HttpHeader> responseTrailers = List.of();
    private BodyBuffer responseBody;
    /** The response's content-length, -1 when none. */
    private long responseLength = -1;
    private List<ResponseHead> interim = List.of();
    private boolean responseSeen;
    private boolean responseEnded;
    private long responseEndNanos;

    private boolean reset;
    private long resetCode;
    private boolean resetByApp;

    /**
     * @param dropped dropped at its start (the capture queue was full): its bodies are only counted (a cap of 0),
     *                its header fields not kept, and no record is made of it
     */
    StreamState(int id, long startNanos, int bodyCap, boolean pushed, int promisedOn, ConnectionBudget budget,
            boolean dropped) {
        this.dropped = dropped;
        this.budget = budget;
        this.id = id;
        this.startNanos = startNanos;
        this.bodyCap = dropped ? 0 : bodyCap;
        this.pushed = pushed;
        this.promisedOn = promisedOn;
    }

    /** A header block from the client: the request head, or its trailers once the head was seen. */
    void clientHeaders(Http2Headers headers, boolean endStream) {
        if (!requestSeen) {
            requestSeen = true;
            requestHead(headers);
        } else {
            requestTrailers = regular(headers);
        }
        requestEnded |= endStream;
    }

    /**
     * The HTTP/1.1 request that a 101 upgraded to h2c: kept in its HTTP/2 form (see {@link UpgradedRequest}), its
     * Host being the stream's authority.
     */
    void upgradedRequest(HttpRequestRecord request) {
        upgraded = UpgradedRequest.asStreamOne(request);
        charge(request.body().length + fieldBytes(request.headers()));
        requestSeen = true;
        requestEnded = true;
        method = request.method();
        path = request.target();
        String host = request.header("Host");
        authority = host == null ? "" : host;
        scheme = "http";
    }

    /** A PUSH_PROMISE's header block: the request of a pushed stream, which has no body. */
    void promisedRequest(Http2Headers headers) {
        requestSeen = true;
        requestHead(headers);
        requestEnded = true;
    }

    private void requestHead(Http2Headers headers) {
        method = text(headers.method());
        path = text(headers.path());
        authority = text(headers.authority());
        scheme = text(headers.scheme());
        requestHeaders = regular(headers);
        requestLength = AnnouncedLength.of(headers);
    }

    /** A header block from the app: an interim (1xx) head, the response head, or the trailers. */
    void appHeaders(Http2Headers headers, boolean endStream, long nowNanos) {
        if (!responseSeen) {
            int code = parseStatus(headers.status());
            if (code >= 100 && code < 200 && !endStream) {
                interim = new ArrayList<>(interim);
                interim.add(new ResponseHead(code, "", VERSION, regular(headers)));
                return;
            }
            responseSeen = true;
            status = code;
            responseHeaders = regular(headers);
            responseLength = AnnouncedLength.of(headers);
        } else {
            responseTrailers = regular(headers);
        }
        if (endStream) {
            responseEnded = true;
            responseEndNanos = nowNanos;
        }
    }

    void data(boolean fromClient, ByteBuf data, boolean endStream, long nowNanos) {
        if (fromClient) {
            requestBody = append(requestBody, requestLength, data);
            requestEnded |= endStream;
        } else {
            responseBody = append(responseBody, responseLength, data);
            if (endStream) {
                responseEnded = true;
                responseEndNanos = nowNanos;
            }
        }
    }

    /**
     * The most bytes a body starting with a DATA frame of {@code frameBytes} would keep: its announced length, else
     * the cap; 0 when the frame starts no kept body (the stream is dropped, the body already has bytes, the frame
     * is empty).
     */
    long bodyStarting(boolean fromClient, int frameBytes) {
        BodyBuffer body = fromClient ? requestBody : responseBody;
        if (dropped || frameBytes == 0 || body != null && body.size() > 0) {
            return 0;
        }
        long announced = fromClient ? requestLength : responseLength;
        return announced > 0 ? Math.min(announced, bodyCap) : bodyCap;
    }

    /**
     * Drops the stream before a body is kept (the capture queue has no room for it): it is followed to its end,
     * its bodies only counted, and no record is made of it. What it kept so far is let go; its charges to the
     * connection's budget are given back with the rest when it ends.
     */
    void drop() {
        dropped = true;
        bodyCap = 0;
        requestBody = null;
        responseBody = null;
        requestHeaders = List.of();
        requestTrailers = List.of();
        responseHeaders = List.of();
        interim = List.of();
    }

    /** Copies only the bytes under the cap, charged to the budget first; the relayed buffer is not kept. */
    private BodyBuffer append(BodyBuffer body, long announced, ByteBuf data) {
        int n = data.readableBytes();
        BodyBuffer b = body == null ? newBody(announced, n) : body;
        if (n > 0) {
            charge(held(b, b.size() + n) - held(b, b.size()));
            if (b.size() >= bodyCap) {
                b.count(n); // past the cap (or a dropped stream): nothing to copy, not even views to make
            } else if (data.nioBufferCount() != 1) {
                appendPieces(b, data, n);
            } else {
                java.nio.ByteBuffer view = data.nioBuffer();
                b.append(view, view.position(), n);
            }
        }
        return b;
    }

    /**
     * A body at its first DATA frame. When its length was announced and more is to come, the array for all of it
     * (up to the cap) is allocated now and charged at once: the body is then copied once, instead of into arrays
     * doubling from the first frame's size (8+16+32+64 KiB for a 64 KiB answer in nginx's 8 KiB frames). The
     * announced length is only believed up to the cap, and only when the connection's budget has room for it;
     * else the body grows with what arrives, as one of unknown length does.
     */
    private BodyBuffer newBody(long announced, int firstBytes) {
        long reserve = Math.min(announced, bodyCap);
        if (firstBytes > 0 && reserve > firstBytes && budget.fits(reserve)) {
            charge(reserve);
            return new BodyBuffer(bodyCap, reserve);
        }
        return new BodyBuffer(bodyCap, -1);
    }

    /** What a body holds against the budget once {@code size} bytes arrived: its kept bytes, or its reservation. */
    private long held(BodyBuffer b, long size) {
        return Math.max(Math.min(size, bodyCap), b.reserved());
    }

    private static void appendPieces(BodyBuffer b, ByteBuf data, int n) {
        for (java.nio.ByteBuffer view : data.nioBuffers(data.readerIndex(), n)) {
            b.append(view, view.position(), view.remaining());
        }
    }

    void reset(long code, boolean byApp, long nowNanos) {
        reset = true;
        resetCode = code;
        resetByApp = byApp;
        if (responseEndNanos == 0) {
            responseEndNanos = nowNanos;
        }
    }

    private void charge(long bytes) {
        if (bytes > 0) {
            budget.charge(bytes);
            charged += bytes;
        }
    }

    /** Gives back what the stream held: it is captured (or dropped with the connection). */
    void releaseBudget() {
        budget.release(charged);
        charged = 0;
    }

    private static long fieldBytes(List<HttpHeader> fields) {
        long bytes = 0;
        for (HttpHeader h : fields) {
            bytes += h.name().length() + h.value().length() + ConnectionBudget.FIELD_OVERHEAD;
        }
        return bytes;
    }

    boolean dropped() {
        return dropped;
    }

    boolean requestSeen() {
        return requestSeen;
    }

    boolean done() {
        return reset || requestEnded && responseEnded;
    }

    String method() {
        return method;
    }

    String path() {
        return path;
    }

    int status() {
        return status;
    }

    long responseBodySize() {
        return responseBody == null ? 0 : responseBody.size();
    }

    /**
     * The capture.
     *
     * @param sequence   position among the connection's captured streams
     * @param incomplete the connection ended or decoding stopped first
     * @param gaveUp     decoding stopped while the stream was open
     */
    Http2StreamRecord toRecord(long sequence, boolean incomplete, boolean gaveUp) {
        // CONNECT has no :path (RFC 9113 §8.5): its target is the authority, as in HTTP/1
        String target = path.isEmpty() ? authority : path;
        HttpRequestRecord request = upgraded != null ? upgraded
                : new HttpRequestRecord(method, target, VERSION, requestHeaders, body(requestBody), requestTrailers,
                        requestEnded);
        HttpResponseRecord response = !responseSeen ? null
                : new HttpResponseRecord(status, "", VERSION, responseHeaders, body(responseBody), responseTrailers,
                        responseEnded);
        HttpExchangeRecord exchange = new HttpExchangeRecord(sequence, request, response, interim, response == null,
                gaveUp, false, startNanos, responseEndNanos);
        return new Http2StreamRecord(id, authority, scheme, exchange, reset, resetCode, resetByApp, incomplete, pushed,
                promisedOn);
    }

    private static MessageBody body(BodyBuffer b) {
        return b == null ? MessageBody.EMPTY : new MessageBody(b.toArray(), b.size(), b.truncated());
    }

    /** The regular fields in received order, duplicates kept; pseudo-headers have their own places. */
    private List<HttpHeader> regular(Http2Headers headers) {
        if (dropped) {
            return List.of();
        }
        charge(RegularFields.budgetBytes(headers));
        return RegularFields.of(headers);
    }

    private static String text(CharSequence s) {
        return s == null ? "" : s.toString();
    }

    private static int parseStatus(CharSequence s) {
        if (s == null || s.length() != 3) {
            return 0;
        }
        int code = 0;
        for (int i = 0; i < 3; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return 0;
            }
            code = code * 10 + (c - '0');
        }
        return code;
    }
}
