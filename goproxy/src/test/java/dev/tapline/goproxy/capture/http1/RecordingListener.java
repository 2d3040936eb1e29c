package dev.tapline.goproxy.capture.http1;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

import dev.tapline.goproxy.capture.ExchangeListener;
import dev.tapline.goproxy.capture.HttpExchangeRecord;
import dev.tapline.goproxy.capture.HttpResponseRecord;
import dev.tapline.goproxy.capture.RequestHead;

/** Test listener that records every callback, in order, as comparable values. */
public final class RecordingListener implements ExchangeListener {

    /** Which exchanges are admitted, by the order in which they start (as a capture queue full, then free). */
    private final IntPredicate admits;
    private int asked;

    public RecordingListener() {
        this(i -> true);
    }

    RecordingListener(IntPredicate admits) {
        this.admits = admits;
    }

    record RequestEvent(long sequence, RequestHead head) {
    }

    record ResponseEvent(long sequence, HttpResponseRecord response) {
    }

    record GiveUpEvent(String reason) {
    }

    final List<Object> events = new ArrayList<>();

    @Override
    public boolean admit() {
        return admits.test(asked++);
    }

    @Override
    public void onRequest(long sequence, RequestHead head) {
        events.add(new RequestEvent(sequence, head));
    }

    @Override
    public void onResponse(long sequence, HttpResponseRecord response) {
        events.add(new ResponseEvent(sequence, response));
    }

    @Override
    public void onExchange(HttpExchangeRecord exchange) {
        events.add(exchange);
    }

    @Override
    public void onGiveUp(String reason) {
        events.add(new GiveUpEvent(reason));
    }

    public List<HttpExchangeRecord> exchanges() {
        return events.stream().filter(HttpExchangeRecord.class::isInstance).map(HttpExchangeRecord.class::cast).toList();
    }

    List<RequestEvent> requests() {
        return events.stream().filter(RequestEvent.class::isInstance).map(RequestEvent.class::cast).toList();
    }

    List<ResponseEvent> responses() {
        return events.stream().filter(ResponseEvent.class::isInstance).map(ResponseEvent.class::cast).toList();
    }

    List<String> giveUpReasons() {
        return events.stream().filter(GiveUpEvent.class::isInstance).map(e -> ((GiveUpEvent) e).reason()).toList();
    }
}
