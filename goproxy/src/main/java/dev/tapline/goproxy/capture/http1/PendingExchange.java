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

    final long sequence;
    final long requestStartNanos;
    private final boolean connect;
    private final boolean head;
    private final boolean protocolSwitchRequested;
    /** The request's head as a record; null for an exchange dropped at its start. */
    private RequestHead requestHead;

    /** Dropped at its start (the capture queue was full): its state is tracked, no record is made. */
    private boolean dropped;
    private boolean requestFinished;
    private boolean responseFinished;
    private HttpRequestRecord request;
    private List<ResponseHead> interimResponses = List.of();
    private int interimCount;
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
    PendingExchange(long sequence, long requestStartNanos, boolean connect, boolean head,
            boolean protocolSwitchRequested) {
        this.sequence = sequence;
        this.requestStartNanos = requestStartNanos;
        this.connect = connect;
        this.head = head;
        this.protocolSwitchRequested = protocolSwitchRequested;
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

    void drop() {
        dropped = true;
    }

    boolean dropped() {
        return dropped;
    }

    void requestEnded(BodyBuffer body, List<HttpHeader> trailers, boolean complete) {
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

    /** @param head the interim response, or null for a dropped exchange (only counted) */
    void addInterim(ResponseHead head) throws HttpDecodeException {
        if (interimCount == MAX_INTERIM_RESPONSES) {
            throw new HttpDecodeException("more than " + MAX_INTERIM_RESPONSES + " interim responses");
        }
        interimCount++;
        if (head == null) {
            return;
        }
        if (interimResponses.isEmpty()) {
            interimResponses = new ArrayList<>(2);
        }
        interimResponses.add(head);
    }

    /** @param head the final response's head, or null for a dropped exchange */
    void finalResponseHead(int status, ResponseHead head, boolean switchesProtocol, long nowNanos) {
        finalStatus = status;
        finalHead = head;
        upgraded = switchesProtocol;
        responseEndNanos = nowNanos;
    }

    boolean hasFinalResponseHead() {
        return finalStatus != 0;
    }

    boolean upgraded() {
        return upgraded;
    }

    /** A 101 answering {@code Upgrade: h2c} with {@code Upgrade: h2c}: HTTP/2 in clear from now on. */
    boolean upgradedToH2c() {
        return upgraded && !dropped && finalStatus == 101 && "h2c".equalsIgnoreCase(trim(finalHead.header("Upgrade")))
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
        responseFinished = true;
        responseEndNanos = nowNanos;
        if (dropped) {
            return null;
        }
        ResponseHead h = finalHead;
        response = new HttpResponseRecord(h.statusCode(), h.reason(), h.version(), h.headers(),
                kept(body), size(body), truncated(body), trailers, complete);
        responseEndNanos = nowNanos;
        return response;
    }

    /** No (further) response will arrive: the app side is gone. */
    void abandonResponse() {
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
