package dev.tapline.goproxy.capture.http1;

import java.util.ArrayDeque;

import dev.tapline.goproxy.capture.ExchangeListener;

/**
 * The exchanges of one connection between their request head and their emission. HTTP/1
 * answers requests in order (RFC 9112 §9.3.2), so a FIFO of requests awaiting a response is
 * enough to pair them, and emitting from the head of a second FIFO keeps sequence order.
 */
final class ExchangeTracker {

    private final ArrayDeque<PendingExchange> unemitted = new ArrayDeque<>();
    private final ArrayDeque<PendingExchange> awaitingResponse = new ArrayDeque<>();
    private final int maxOutstanding;
    private final ExchangeListener listener;
    private long nextSequence;
    private boolean responsesClosed;

    ExchangeTracker(int maxOutstanding, ExchangeListener listener) {
        this.maxOutstanding = maxOutstanding;
        this.listener = listener;
    }

    /**
     * Starts the next exchange, before its head is made into a record: whether it is dropped is known at once.
     * A dropped exchange is only a shared stand-in in the response FIFO (no object, never emitted): it is done
     * before any later exchange is, since requests and responses both come in order. Fails when too many
     * requests are already outstanding.
     */
    PendingExchange open(boolean connect, boolean head, boolean protocolSwitchRequested) throws HttpDecodeException {
        // Opened once the previous request ended: every exchange not emitted yet still awaits its response.
        if (Math.max(unemitted.size(), awaitingResponse.size()) >= maxOutstanding) {
            throw new HttpDecodeException("more than " + maxOutstanding + " outstanding requests");
        }
        long sequence = nextSequence++;
        // a protocol switch is always followed (an h2c upgrade needs its request), so only the others are dropped
        if (!protocolSwitchRequested && !listener.admit()) {
            if (!responsesClosed) {
                awaitingResponse.addLast(PendingExchange.dropped(head));
            }
            return PendingExchange.dropped(head);
        }
        PendingExchange exchange = new PendingExchange(sequence, connect, head, protocolSwitchRequested);
        unemitted.addLast(exchange);
        if (responsesClosed) {
            exchange.abandonResponse();
        } else {
            awaitingResponse.addLast(exchange);
        }
        return exchange;
    }

    /** The sequence number of the exchange opened last. */
    long lastSequence() {
        return nextSequence - 1;
    }

    /** The oldest exchange still waiting for its final response, or {@code null}. */
    PendingExchange awaitingResponse() {
        return awaitingResponse.peekFirst();
    }

    /** The oldest exchange's final response has ended. */
    void responseEnded() {
        awaitingResponse.pollFirst();
    }

    /** The app side is gone: no exchange, open or future, will get a response. */
    void closeResponses() {
        responsesClosed = true;
        for (PendingExchange exchange : awaitingResponse) {
            exchange.abandonResponse();
        }
        awaitingResponse.clear();
    }

    /** Emits the leading exchanges that are done, in sequence order. */
    void emitDone() {
        while (!unemitted.isEmpty() && unemitted.peekFirst().done()) {
            emit(unemitted.pollFirst(), false);
        }
    }

    /** Emits every remaining exchange as it stands, in sequence order. */
    void emitAll(boolean decoderGaveUp) {
        awaitingResponse.clear();
        while (!unemitted.isEmpty()) {
            emit(unemitted.pollFirst(), decoderGaveUp);
        }
    }

    /** Hands over a finished exchange, unless it was dropped at its start (and counted then). */
    private void emit(PendingExchange exchange, boolean decoderGaveUp) {
        if (!exchange.dropped()) {
            listener.onExchange(exchange.toRecord(decoderGaveUp));
        }
    }
}
