package dev.tapline.goproxy.capture.http1;

import java.util.ArrayList;
import java.util.List;

import dev.tapline.goproxy.capture.BodyBuffer;
import dev.tapline.goproxy.capture.HttpExchangeRecord;
import dev.tapline.goproxy.capture.HttpHeader;
import dev.tapline.goproxy.capture.HttpRequestRecord;
import dev.tapline.goproxy.capture.HttpResponseRecord;
import dev.tapline.goproxy.capture.RequestHead;
import dev.tapline.goproxy.capture.ResponseHead;

/**
 * The mutable state of one exchange between its request head and its emission: what has been
 * decoded of the request and of the response so far. Turned into an immutable
 * {@link HttpExchangeRecord} once done, or when flushed early.
 */
final class PendingExchange {

    /** A server may send any number of 1xx responses (RFC 9110 §15.2); memory must stay bounded. */
    static final int MAX_INTERIM_RESPONSES = 32;

    /**
     * Stand-ins for the exchanges dropped at their start (the capture queue was full), shared by all connections
     * and never changed: pairing a dropped exchange with its response needs only its place in the FIFO and
     * whether it is a HEAD (whose response has no body). A dropped exchange never asks for a protocol switch.
     */
    static final PendingExchange DROPPED = new PendingExchange(-1, false);
    static final PendingExchange DROPPED_HEAD = new PendingExchange(-1, true);

    final long sequence;
    private long requestStartNanos;
    private final boolean connect;
    private final boolean head;
    private final boolean protocolSwitchRequested;
    /** The request's head as a record; null for an exchange dropped at its start. */
    private RequestHead requestHead;

    /** Dropped at its start: one of the shared stand-ins, whose state is never written. */
    private final boolean standIn;
    /** Dropped at its start, or later when the queue had no room for one of its bodies: never emitted. */
    private boolean dropped;
    private boolean requestFinished;
    private boolean responseFinished;
    private HttpRequestRecord request;
    private List<ResponseHead> interimResponses = List.of();
    private ResponseHead finalHead;
    private int finalStatus;
    private HttpResponseRecord response;
    private boolean responseAbandoned;
    private boolean upgraded;
    private long responseEndNanos;

    /**
     * @param connect                 the method is CONNECT (methods are case-sensitive, RFC 9110 §9.1)
     * @param head                    the method is HEAD
     * @param protocolSwitchRequested a CONNECT or a request with an Upgrade field: its response, if a switch,
     *                                turns the connection into a tunnel (RFC 9110 §7.8, §9.3.6)
     */
    PendingExchange(long sequence, boolean connect, boolean head, boolean protocolSwitchRequested) {
        this.sequence = sequence;
        this.connect = connect;
        this.head = head;
        this.protocolSwitchRequested = protocolSwitchRequested;
        this.standIn = false;
    }

    private PendingExchange(long sequence, boolean head) {
        this.sequence = sequence;
        this.connect = false;
        this.head = head;
        this.protocolSwitchRequested = false;
        this.standIn = true;
        this.dropped = true;
    }

    /** The shared stand-in for a dropped exchange. */
    static PendingExchange dropped(boolean head) {
        return head ? DROPPED_HEAD : DROPPED;
    }

    long requestStartNanos() {
        return requestStartNanos;
    }

    /** When the request's first byte arrived; read only for an exchange that is captured. */
    void requestStartNanos(long nanos) {
        requestStartNanos = nanos;
    }

    /** The request's head, for an exchange that is captured. */
    void requestHead(RequestHead requestHead) {
        this.requestHead = requestHead;
    }

    boolean requestsProtocolSwitch() {
        return protocolSwitchRequested;
    }

    boolean isConnect() {
        return connect;
    }

    boolean isHead() {
        return head;
    }

    boolean dropped() {
        return dropped;
    }

    /**
     * Drops a captured exchange before one of its bodies is kept (the capture queue has no room for it): it is still
     * followed, so that it ends in its place among the connection's exchanges, but no more of it is kept and it is
     * never emitted. What it kept so far is let go.
     */
    void drop() {
        dropped = true;
        request = null;
        requestHead = null;
        interimResponses = List.of();
        finalHead = null;
    }

    void requestEnded(BodyBuffer body, List<HttpHeader> trailers, boolean complete) {
        if (standIn) {
            return;
        }
        requestFinished = true;
        if (dropped) {
            return;
        }
        RequestHead h = requestHead;
        request = new HttpRequestRecord(h.method(), h.target(), h.version(), h.headers(),
                kept(body), size(body), truncated(body), trailers, complete);
    }

    boolean requestDone() {
        return requestFinished;
    }

    /** An interim response of a captured exchange (their number is bounded by the caller). */
    void addInterim(ResponseHead head) {
        if (interimResponses.isEmpty()) {
            interimResponses = new ArrayList<>(2);
        }
        interimResponses.add(head);
    }

    /** The final response's head, for an exchange that is captured. */
    void finalResponseHead(int status, ResponseHead head, boolean switchesProtocol, long nowNanos) {
        finalStatus = status;
        finalHead = head;
        upgraded = switchesProtocol;
        responseEndNanos = nowNanos;
    }

    boolean hasFinalResponseHead() {
        return finalStatus != 0;
    }

    /** A 101 answering {@code Upgrade: h2c} with {@code Upgrade: h2c}: HTTP/2 in clear from now on. */
    boolean upgradedToH2c() {
        return upgraded && finalStatus == 101 && "h2c".equalsIgnoreCase(trim(finalHead.header("Upgrade")))
                && hasToken(requestHead.header("Upgrade"), "h2c");
    }

    /** The request as recorded once it ended, else null. */
    HttpRequestRecord request() {
        return request;
    }

    private static String trim(String s) {
        return s == null ? null : s.trim();
    }

    /** Whether a comma-separated list (an Upgrade field) names {@code token}. */
    private static boolean hasToken(String list, String token) {
        if (list == null) {
            return false;
        }
        for (String item : list.split(",")) {
            if (item.trim().equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }

    /** The response as recorded; null for a dropped exchange. */
    HttpResponseRecord responseEnded(BodyBuffer body, List<HttpHeader> trailers, boolean complete, long nowNanos) {
        if (dropped) {
            return null;
        }
        responseFinished = true;
        ResponseHead h = finalHead;
        response = new HttpResponseRecord(h.statusCode(), h.reason(), h.version(), h.headers(),
                kept(body), size(body), truncated(body), trailers, complete);
        responseEndNanos = nowNanos;
        return response;
    }

    /** The final response of an exchange dropped after its start has ended; always null, as it is not recorded. */
    HttpResponseRecord responseSkipped() {
        if (!standIn) {
            responseFinished = true;
        }
        return null;
    }

    /** No (further) response will arrive: the app side is gone. */
    void abandonResponse() {
        if (standIn) {
            return;
        }
        responseAbandoned = true;
    }

    boolean done() {
        return requestFinished && (responseFinished || responseAbandoned);
    }

    HttpExchangeRecord toRecord(boolean decoderGaveUp) {
        HttpRequestRecord req = request;
        if (req == null) {
            RequestHead h = requestHead;
            req = new HttpRequestRecord(h.method(), h.target(), h.version(), h.headers(),
                    BodyBuffer.EMPTY, 0, false, List.of(), false);
        }
        HttpResponseRecord resp = response;
        if (resp == null && finalHead != null) {
            resp = new HttpResponseRecord(finalHead.statusCode(), finalHead.reason(), finalHead.version(),
                    finalHead.headers(), BodyBuffer.EMPTY, 0, false, List.of(), false);
        }
        return new HttpExchangeRecord(sequence, req, resp, interimResponses, finalHead == null,
                decoderGaveUp, upgraded, requestStartNanos, finalHead == null ? 0 : responseEndNanos);
    }

    private static byte[] kept(BodyBuffer body) {
        return body == null ? BodyBuffer.EMPTY : body.toArray();
    }

    private static long size(BodyBuffer body) {
        return body == null ? 0 : body.size();
    }

    private static boolean truncated(BodyBuffer body) {
        return body != null && body.truncated();
    }
}
