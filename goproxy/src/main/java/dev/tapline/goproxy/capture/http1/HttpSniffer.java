package dev.tapline.goproxy.capture.http1;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

import dev.tapline.goproxy.capture.BodyBuffer;
import dev.tapline.goproxy.capture.DecoderFactory;
import dev.tapline.goproxy.capture.ExchangeListener;
import dev.tapline.goproxy.capture.H2cUpgrade;
import dev.tapline.goproxy.capture.HttpExchangeRecord;
import dev.tapline.goproxy.capture.HttpHeader;
import dev.tapline.goproxy.capture.HttpResponseRecord;
import dev.tapline.goproxy.capture.RequestHead;
import dev.tapline.goproxy.capture.ResponseHead;
import dev.tapline.goproxy.capture.StreamDecoder;
import dev.tapline.goproxy.capture.WallClock;
import dev.tapline.goproxy.relay.Direction;

/**
 * Passively decodes the HTTP/1.x traffic of one proxied connection from copies of the bytes
 * relayed in each direction, reporting request/response pairs to an {@link ExchangeListener}.
 *
 * <p>The sniffer never influences the relay: no method throws, blocks or keeps a reference to
 * a caller's buffer, and memory stays within {@link SnifferLimits}. Input it cannot follow
 * (malformed framing, limits exceeded) makes it give up: open exchanges are flushed with
 * {@link HttpExchangeRecord#decoderGaveUp()}, then every later call returns at once. After a
 * protocol switch (101, or CONNECT answered 2xx) it likewise stops looking at the bytes, except after a 101 to
 * {@code h2c} when it was given an {@link H2cUpgrade}: then every later byte goes to the HTTP/2 decoder opened
 * there, beginning with the app's bytes right after the 101 and the client's bytes held since the request.
 *
 * <p>Not thread-safe: calls must be serialized, e.g. on the connection's event loop. Each
 * chunk should be fed before it is relayed, so that a request is always seen before its
 * response. Buffers are read between position and limit with absolute gets: their position
 * is left unchanged.
 */
public final class HttpSniffer implements StreamDecoder {

    private static final System.Logger LOG = System.getLogger(HttpSniffer.class.getName());

    private enum Mode { DECODING, PASSTHROUGH, UPGRADED, CLOSED, GAVE_UP }

    private final SnifferLimits limits;
    private final ExchangeListener listener;
    /** The time of the client's, and of the app's, bytes being decoded: read only for captured exchanges. */
    private final ChunkClock requestClock;
    private final ChunkClock responseClock;
    private final ExchangeTracker exchanges;
    private final MessageReader requests;
    private final MessageReader responses;
    private final ProtocolSwitchHold hold;
    /** Opens the HTTP/2 decoder after a 101 to h2c; null: such a connection is relayed undecoded after the 101. */
    private final H2cUpgrade h2c;
    /** The HTTP/2 decoder after a 101 to h2c (mode UPGRADED). */
    private StreamDecoder upgraded;

    private Mode mode = Mode.DECODING;
    private boolean clientEnded;
    private boolean appEnded;
    private PendingExchange currentRequest;

    /**
     * @param limits         memory bounds
     * @param listener       receives the decoded exchanges
     * @param wallClockNanos current time as Unix epoch nanoseconds, read at most once per fed chunk
     */
    public HttpSniffer(SnifferLimits limits, ExchangeListener listener, LongSupplier wallClockNanos) {
        this(limits, listener, wallClockNanos, null);
    }

    /** @param h2c opens the HTTP/2 decoder after a 101 to h2c, or null to stop decoding there */
    public HttpSniffer(SnifferLimits limits, ExchangeListener listener, LongSupplier wallClockNanos, H2cUpgrade h2c) {
        this.h2c = h2c;
        this.limits = Objects.requireNonNull(limits, "limits");
        this.listener = new SafeListener(Objects.requireNonNull(listener, "listener"));
        this.requestClock = new ChunkClock(Objects.requireNonNull(wallClockNanos, "wallClockNanos"));
        this.responseClock = new ChunkClock(wallClockNanos);
        this.exchanges = new ExchangeTracker(limits.maxOutstandingRequests(), this.listener);
        this.requests = new MessageReader(limits, new RequestSide());
        this.responses = new MessageReader(limits, new ResponseSide());
        this.hold = new ProtocolSwitchHold(limits.maxHeaderBytes());
    }

    /** Opens a sniffer per connection, on the wall clock. */
    public static DecoderFactory factory(SnifferLimits limits) {
        Objects.requireNonNull(limits, "limits");
        return listener -> new HttpSniffer(limits, listener, WallClock::nowNanos);
    }

    /** Opens a sniffer per connection, on the wall clock, that goes on decoding after a 101 to h2c. */
    public static DecoderFactory factory(SnifferLimits limits, H2cUpgrade h2c) {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(h2c, "h2c");
        return listener -> new HttpSniffer(limits, listener, WallClock::nowNanos, h2c);
    }

    @Override
    public void onBytes(Direction direction, ByteBuffer data) {
        if (direction == Direction.CLIENT_TO_APP) {
            onClientBytes(data);
        } else {
            onAppBytes(data);
        }
    }

    @Override
    public void onEnd(Direction direction) {
        if (direction == Direction.CLIENT_TO_APP) {
            onClientClosed();
        } else {
            onAppClosed();
        }
    }

    /** Bytes the client sent toward the app; only valid during the call. */
    public void onClientBytes(ByteBuffer data) {
        if (mode == Mode.UPGRADED) {
            upgraded.onBytes(Direction.CLIENT_TO_APP, data);
        } else if (mode == Mode.DECODING && !clientEnded && data.hasRemaining()) {
            feed(data, Direction.CLIENT_TO_APP);
        }
    }

    /** Bytes the app sent toward the client; only valid during the call. */
    public void onAppBytes(ByteBuffer data) {
        if (mode == Mode.UPGRADED) {
            upgraded.onBytes(Direction.APP_TO_CLIENT, data);
        } else if (mode == Mode.DECODING && !appEnded && data.hasRemaining()) {
            feed(data, Direction.APP_TO_CLIENT);
        }
    }

    /** The client half-closed: no more request bytes. */
    public void onClientClosed() {
        if (mode == Mode.UPGRADED) {
            upgraded.onEnd(Direction.CLIENT_TO_APP);
        } else if (mode == Mode.DECODING && !clientEnded) {
            guarded(this::endClient);
        }
    }

    /** The app half-closed: ends a close-delimited response; later requests get no response. */
    public void onAppClosed() {
        if (mode == Mode.UPGRADED) {
            upgraded.onEnd(Direction.APP_TO_CLIENT);
        } else if (mode == Mode.DECODING && !appEnded) {
            guarded(this::endApp);
        }
    }

    /** Both sides are gone: flushes every pending exchange. Later calls are ignored. */
    @Override
    public void onConnectionClosed() {
        if (mode == Mode.UPGRADED) {
            upgraded.onConnectionClosed();
        } else if (mode == Mode.DECODING) {
            guarded(this::endConnection);
        }
    }

    /** Whether decoding stopped on input it could not follow. */
    @Override
    public boolean gaveUp() {
        return mode == Mode.GAVE_UP || mode == Mode.UPGRADED && upgraded.gaveUp();
    }

    private void feed(ByteBuffer data, Direction direction) {
        try {
            if (direction == Direction.CLIENT_TO_APP) {
                requestClock.nextChunk();
                feedRequests(data, data.position(), data.limit());
            } else {
                responseClock.nextChunk();
                int i = data.position();
                int to = data.limit();
                while (i < to && mode == Mode.DECODING) {
                    i = responses.feed(data, i, to);
                }
                if (mode == Mode.UPGRADED && i < to) { // the app's first HTTP/2 bytes, right after the 101
                    upgraded.onBytes(Direction.APP_TO_CLIENT, data.duplicate().position(i));
                } else if (responses.inKeptBody()) {
                    responseClock.now(); // the time of the body's last bytes so far, should the app close next
                }
            }
        } catch (HttpDecodeException | RuntimeException e) {
            stopOn(e);
        }
    }

    private void feedRequests(ByteBuffer src, int from, int to) throws HttpDecodeException {
        int i = from;
        while (i < to && mode == Mode.DECODING) {
            if (hold.isHolding()) {
                hold.append(src, i, to, requestClock.now());
                return;
            }
            i = requests.feed(src, i, to);
        }
    }

    private void resumeRequests() throws HttpDecodeException {
        ByteBuffer held = hold.release();
        if (held != null) {
            requestClock.fix(hold.sinceNanos());
            feedRequests(held, 0, held.limit());
        }
    }

    /** A rarely taken step that may make the sniffer give up. */
    private interface Step {
        void run() throws HttpDecodeException;
    }

    private void guarded(Step step) {
        try {
            step.run();
        } catch (HttpDecodeException | RuntimeException e) {
            stopOn(e);
        }
    }

    private void endConnection() throws HttpDecodeException {
        if (!appEnded) {
            endApp();
        }
        if (!clientEnded) {
            endClient();
        }
        mode = Mode.CLOSED;
        exchanges.emitAll(false);
    }

    private void endClient() throws HttpDecodeException {
        clientEnded = true;
        hold.clear();
        requests.finish(false);
        exchanges.emitDone();
    }

    private void endApp() throws HttpDecodeException {
        appEnded = true;
        responses.finish(true); // a body in progress ends at the time of its last bytes (responseClock)
        exchanges.closeResponses();
        if (hold.isHolding()) {
            // No answer will come: whatever the client sent meanwhile is decoded as requests.
            resumeRequests();
        }
        exchanges.emitDone();
    }

    private void switchProtocols(PendingExchange exchange) throws HttpDecodeException {
        mode = Mode.PASSTHROUGH;
        ByteBuffer held = hold.release();
        requests.finish(false);
        responses.release();
        exchanges.emitAll(false);
        if (h2c != null && exchange.upgradedToH2c() && exchange.request() != null) {
            upgraded = h2c.open(listener, exchange.request(), exchange.requestStartNanos(), exchange.sequence + 1);
            mode = Mode.UPGRADED;
            if (held != null) { // the client's preface and first frames, sent before the 101 was relayed
                upgraded.onBytes(Direction.CLIENT_TO_APP, held);
            }
        }
    }

    private void stopOn(Exception e) {
        if (e instanceof HttpDecodeException) {
            giveUp(e.getMessage());
        } else {
            LOG.log(System.Logger.Level.ERROR, "HTTP decoder failure; decoding stopped for this connection", e);
            giveUp("internal decoder error: " + e);
        }
    }

    private void giveUp(String reason) {
        if (mode == Mode.GAVE_UP) {
            return;
        }
        mode = Mode.GAVE_UP;
        hold.clear();
        try {
            // Best effort: hand the partial bodies to their exchanges before flushing.
            requests.finish(false);
            responses.finish(false);
        } catch (HttpDecodeException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "partial message lost while giving up", e);
        }
        requests.release();
        responses.release();
        try {
            exchanges.emitAll(true);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "could not flush exchanges while giving up", e);
        }
        listener.onGiveUp(reason);
    }

    /**
     * Whether a body of a captured exchange is kept: the exchange is dropped (and counted) here when the capture
     * queue has no room for the body, before a byte of it is copied. An exchange that asked for a protocol switch
     * is always followed, as at its start.
     */
    private boolean keeps(PendingExchange exchange, int mostKept) {
        if (exchange.dropped()) {
            return false;
        }
        if (mostKept == 0 || exchange.requestsProtocolSwitch() || listener.admitBody(mostKept)) {
            return true;
        }
        exchange.drop();
        return false;
    }

    /** Interprets client-to-app messages as requests. */
    private final class RequestSide implements MessageReader.Handler {

        private final RequestLine line = new RequestLine();
        private long startNanos;
        /** The head started in the chunk that completed it: its time is read only if its exchange is captured. */
        private boolean startsInThisChunk;

        @Override
        public void onMessageStart(boolean headComplete) {
            startsInThisChunk = headComplete;
            if (!headComplete) {
                startNanos = requestClock.now();
            }
        }

        /** Whether the exchange is dropped is decided before any string or copy of the head is made. */
        @Override
        public long onHead(byte[] head, int length, FieldLines fields) throws HttpDecodeException {
            HeadParser.parseRequestLine(head, length, line);
            fields.requireValid();
            boolean connect = line.methodIs(head, "CONNECT");
            PendingExchange exchange = exchanges.open(connect, line.methodIs(head, "HEAD"),
                    connect || fields.hasUpgrade());
            currentRequest = exchange;
            if (!exchange.dropped()) {
                exchange.requestStartNanos(startsInThisChunk ? requestClock.now() : startNanos);
            }
            if (!exchange.dropped() || listener.observesDroppedRequests()) {
                RequestHead request = HeadParser.requestHead(head, line, fields);
                if (!exchange.dropped()) {
                    exchange.requestHead(request);
                }
                listener.onRequest(exchanges.lastSequence(), request);
            }
            return FramingRules.forRequest(fields);
        }

        @Override
        public boolean keepsBody(int mostKept) {
            return keeps(currentRequest, mostKept);
        }

        @Override
        public void onMessageEnd(BodyBuffer body, List<HttpHeader> trailers, boolean complete) {
            PendingExchange exchange = currentRequest;
            currentRequest = null;
            exchange.requestEnded(body, trailers, complete);
            if (mode != Mode.DECODING) {
                return;
            }
            if (complete && exchange.requestsProtocolSwitch() && !exchange.hasFinalResponseHead() && !appEnded) {
                // The bytes after a CONNECT or Upgrade request may already be the new protocol.
                hold.holdUntilAnswered(exchange);
            }
            exchanges.emitDone();
        }
    }

    /** Interprets app-to-client messages as responses to the oldest unanswered request. */
    private final class ResponseSide implements MessageReader.Handler {

        private final StatusLine line = new StatusLine();
        /** Interim responses since the last final one: all answer the oldest unanswered request. */
        private int interims;
        /** The final response being read switches protocols (101, or a CONNECT's 2xx). */
        private boolean switches;

        @Override
        public void onMessageStart(boolean headComplete) throws HttpDecodeException {
            if (exchanges.awaitingResponse() == null) {
                throw new HttpDecodeException("response without an outstanding request");
            }
        }

        /** A dropped exchange's response is only framed: no record, string or copy of its head. */
        @Override
        public long onHead(byte[] head, int length, FieldLines fields) throws HttpDecodeException {
            HeadParser.parseStatusLine(head, length, line);
            fields.requireValid();
            return onResponseHead(head, fields);
        }

        private long onResponseHead(byte[] head, FieldLines fields) throws HttpDecodeException {
            PendingExchange exchange = exchanges.awaitingResponse();
            int status = line.status();
            if (status < 200 && status != 101) {
                if (interims == PendingExchange.MAX_INTERIM_RESPONSES) {
                    throw new HttpDecodeException("more than " + PendingExchange.MAX_INTERIM_RESPONSES
                            + " interim responses");
                }
                interims++;
                if (!exchange.dropped()) {
                    exchange.addInterim(HeadParser.responseHead(head, line, fields));
                }
                return Framing.HEAD_ONLY;
            }
            interims = 0;
            switches = status == 101 || (exchange.isConnect() && status < 300);
            if (!exchange.dropped()) {
                exchange.finalResponseHead(status, HeadParser.responseHead(head, line, fields), switches,
                        responseClock.now());
            }
            // RFC 9112 §6.3 items 1-2: these responses never have a body, whatever the headers say.
            long framing = switches || status == 204 || status == 304 || exchange.isHead()
                    ? Framing.NONE : FramingRules.forResponse(fields);
            if (hold.isWaitingFor(exchange) && !switches) {
                resumeRequests();
            }
            return framing;
        }

        @Override
        public boolean keepsBody(int mostKept) {
            PendingExchange exchange = exchanges.awaitingResponse();
            return exchange == null || keeps(exchange, mostKept);
        }

        @Override
        public void onMessageEnd(BodyBuffer body, List<HttpHeader> trailers, boolean complete)
                throws HttpDecodeException {
            PendingExchange exchange = exchanges.awaitingResponse();
            if (exchange == null) {
                return;
            }
            exchanges.responseEnded();
            HttpResponseRecord response = exchange.dropped() ? exchange.responseSkipped()
                    : exchange.responseEnded(body, trailers, complete, responseClock.now());
            if (mode != Mode.DECODING) {
                return;
            }
            if (complete && response != null) {
                listener.onResponse(exchange.sequence, response);
            }
            if (complete && switches) {
                switchProtocols(exchange);
            } else {
                exchanges.emitDone();
            }
        }
    }
}
