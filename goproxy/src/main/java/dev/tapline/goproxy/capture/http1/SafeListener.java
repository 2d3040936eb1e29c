package dev.tapline.goproxy.capture.http1;

import dev.tapline.goproxy.capture.ExchangeListener;
import dev.tapline.goproxy.capture.Http2StreamRecord;
import dev.tapline.goproxy.capture.HttpExchangeRecord;
import dev.tapline.goproxy.capture.HttpResponseRecord;
import dev.tapline.goproxy.capture.RequestHead;

/**
 * Shields the relay from a faulty {@link ExchangeListener}: every callback's exception is
 * logged and swallowed, so that listener bugs can neither break the connection nor leave
 * the decoder half-updated.
 */
final class SafeListener implements ExchangeListener {

    private static final System.Logger LOG = System.getLogger(HttpSniffer.class.getName());

    private final ExchangeListener delegate;

    SafeListener(ExchangeListener delegate) {
        this.delegate = delegate;
    }

    @Override
    public boolean admit() {
        try {
            return delegate.admit();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "exchange listener failed in admit", e);
            return true;
        }
    }

    @Override
    public boolean admitBody(long bytes) {
        try {
            return delegate.admitBody(bytes);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "exchange listener failed in admitBody", e);
            return true;
        }
    }

    @Override
    public boolean observesDroppedRequests() {
        try {
            return delegate.observesDroppedRequests();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "exchange listener failed in observesDroppedRequests", e);
            return false;
        }
    }

    @Override
    public void onRequest(long sequence, RequestHead head) {
        try {
            delegate.onRequest(sequence, head);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "exchange listener failed in onRequest", e);
        }
    }

    @Override
    public void onResponse(long sequence, HttpResponseRecord response) {
        try {
            delegate.onResponse(sequence, response);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "exchange listener failed in onResponse", e);
        }
    }

    @Override
    public void onExchange(HttpExchangeRecord exchange) {
        try {
            delegate.onExchange(exchange);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "exchange listener failed in onExchange", e);
        }
    }

    @Override
    public void onStreamRequest(int streamId, String method, String path) {
        try {
            delegate.onStreamRequest(streamId, method, path);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "exchange listener failed in onStreamRequest", e);
        }
    }

    @Override
    public void onStream(Http2StreamRecord stream) {
        try {
            delegate.onStream(stream);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "exchange listener failed in onStream", e);
        }
    }

    @Override
    public void onDecoderMemoryCap() {
        try {
            delegate.onDecoderMemoryCap();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "exchange listener failed in onDecoderMemoryCap", e);
        }
    }

    @Override
    public void onGiveUp(String reason) {
        try {
            delegate.onGiveUp(reason);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "exchange listener failed in onGiveUp", e);
        }
    }
}
