package dev.tapline.goproxy.capture.http2;

import java.util.ArrayList;
import java.util.List;

import dev.tapline.goproxy.capture.ExchangeListener;
import dev.tapline.goproxy.capture.Http2StreamRecord;
import dev.tapline.goproxy.capture.HttpExchangeRecord;

/**
 * A listener for decoder tests: admits the streams whose turn is true, in the order they open ({@link #others}
 * past the turns set), and the bodies up to {@link #bodyRoom}; records the streams it is handed, and fails the test on an HTTP/1 exchange or a give-up.
 */
class StreamGate implements ExchangeListener {
    final List<Boolean> turns = new ArrayList<>();
    final List<Http2StreamRecord> streams = new ArrayList<>();
    boolean others = true;
    int asked;
    /** Bodies admitted up to this many bytes; each size asked is recorded. */
    long bodyRoom = Long.MAX_VALUE;
    final List<Long> bodiesAsked = new ArrayList<>();

    @Override
    public boolean admitBody(long bytes) {
        bodiesAsked.add(bytes);
        return bytes <= bodyRoom;
    }

    @Override
    public boolean admit() {
        int turn = asked++;
        return turn < turns.size() ? turns.get(turn) : others;
    }

    @Override
    public void onExchange(HttpExchangeRecord exchange) {
        throw new AssertionError("an HTTP/1 exchange from the HTTP/2 decoder");
    }

    @Override
    public void onStream(Http2StreamRecord stream) {
        streams.add(stream);
    }

    @Override
    public void onGiveUp(String reason) {
        throw new AssertionError("decoding stopped: " + reason);
    }
}
