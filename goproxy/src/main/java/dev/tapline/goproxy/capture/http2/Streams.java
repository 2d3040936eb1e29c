package dev.tapline.goproxy.capture.http2;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import dev.tapline.goproxy.capture.ExchangeListener;
import dev.tapline.goproxy.capture.Http2StreamRecord;
import dev.tapline.goproxy.capture.HttpRequestRecord;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;

/**
 * The open streams of one connection, fed the decoded frames of both directions; a stream becomes one
 * {@link Http2StreamRecord} when both sides ended it, when either side reset it, or when the connection ends.
 */
final class Streams {
    private final IntObjectMap<StreamState> open = new IntObjectHashMap<>();
    private final ExchangeListener listener;
    private final int bodyCap;
    private final int maxOpenStreams;
    private final LongSupplier clock;
    private final ConnectionBudget budget;
    private long sequence;

    /** @param firstSequence the sequence number of the first stream captured (after a 101 to h2c, not 0) */
    Streams(ExchangeListener listener, int bodyCap, int maxOpenStreams, LongSupplier clock, long firstSequence,
            ConnectionBudget budget) {
        this.budget = budget;
        this.sequence = firstSequence;
        this.listener = listener;
        this.bodyCap = bodyCap;
        this.maxOpenStreams = maxOpenStreams;
        this.clock = clock;
    }

    void headers(boolean fromClient, int streamId, Http2Headers headers, boolean endStream) {
        StreamState s = open.get(streamId);
        if (fromClient) {
            if (s == null) {
                s = opened(streamId, false, 0);
            }
            boolean first = !s.requestSeen();
            s.clientHeaders(headers, endStream);
            if (first) {
                listener.onStreamRequest(streamId, s.method(), s.path());
            }
        } else if (s != null) {
            s.appHeaders(headers, endStream, clock.getAsLong());
        } else {
            return; // an answer on a stream never opened in view (already reset, or refused): nothing to pair
        }
        finishIfDone(s);
    }

    void data(boolean fromClient, int streamId, ByteBuf data, boolean endStream) {
        StreamState s = open.get(streamId);
        if (s != null) {
            long mostKept = s.bodyStarting(fromClient, data.readableBytes());
            if (mostKept > 0 && !listener.admitBody(mostKept)) {
                s.drop(); // the queue has no room for this body: decided before a byte of it is copied
            }
            s.data(fromClient, data, endStream, clock.getAsLong());
            finishIfDone(s);
        }
    }

    void reset(boolean fromClient, int streamId, long errorCode) {
        StreamState s = open.get(streamId);
        if (s != null) {
            s.reset(errorCode, !fromClient, clock.getAsLong());
            finishIfDone(s);
        }
    }

    /** The app promised a pushed stream: its request is the promise's header block (RFC 9113 §8.4). */
    void pushPromise(int streamId, int promisedStreamId, Http2Headers headers) {
        StreamState s = opened(promisedStreamId, true, streamId);
        s.promisedRequest(headers);
        listener.onStreamRequest(promisedStreamId, s.method(), s.path());
    }

    /**
     * Stream 1 of a connection upgraded from HTTP/1.1: its request is the upgraded one, already whole; only its
     * answer comes as HTTP/2 (RFC 7540 §3.2).
     */
    void upgraded(HttpRequestRecord request, long startNanos) {
        StreamState s = new StreamState(1, startNanos, bodyCap, false, 0, budget, false);
        open.put(1, s);
        s.upgradedRequest(request);
    }

    private StreamState opened(int streamId, boolean pushed, int promisedOn) {
        if (open.size() >= maxOpenStreams) {
            throw new DecodeStopped("more than " + maxOpenStreams + " streams open at once");
        }
        StreamState s = new StreamState(streamId, clock.getAsLong(), bodyCap, pushed, promisedOn, budget,
                !listener.admit());
        open.put(streamId, s);
        return s;
    }

    private void finishIfDone(StreamState s) {
        if (s.done()) {
            open.remove(s.id);
            s.releaseBudget();
            emit(s, false, false);
        }
    }

    /** Flushes every open stream, in stream order, as incomplete. */
    void endAll(boolean gaveUp) {
        List<StreamState> rest = new ArrayList<>(open.values());
        open.clear();
        rest.sort((a, b) -> Integer.compare(a.id, b.id));
        for (StreamState s : rest) {
            s.releaseBudget();
            emit(s, true, gaveUp);
        }
    }

    /** Hands over a finished stream, unless it was dropped at its start (and counted then); both take a number. */
    private void emit(StreamState s, boolean incomplete, boolean gaveUp) {
        long n = sequence++;
        if (!s.dropped()) {
            listener.onStream(s.toRecord(n, incomplete, gaveUp));
        }
    }

    int openCount() {
        return open.size();
    }
}
