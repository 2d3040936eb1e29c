package dev.tapline.forwarder.dlp;

import java.util.List;

import com.google.protobuf.ByteString;

import dev.tapline.capture.v1.Capture;
import dev.tapline.capture.v1.Header;
import dev.tapline.capture.v1.HttpExchange;
import dev.tapline.capture.v1.HttpRequest;
import dev.tapline.capture.v1.HttpResponse;
import dev.tapline.capture.v1.InterimResponse;
import dev.tapline.forwarder.ingest.CaptureRedaction;

/**
 * DLP on a capture record (WITH_DLP=true): runs the {@link Redactor} over every place a secret can sit in an HTTP
 * exchange (header and trailer values, the request-target's query, request and response bodies, each read with
 * its own Content-Type) and rebuilds the record only where something was replaced. Connection records carry no
 * content and pass unchanged.
 */
public final class DlpCaptureRedaction implements CaptureRedaction {
    private final Redactor redactor;
    private final String description;

    public DlpCaptureRedaction(Redactor redactor, String description) {
        this.redactor = redactor;
        this.description = description;
    }

    /** For {@code DLP_CONFIG}: the rules it names, ready to apply. */
    public static DlpCaptureRedaction load(String dlpConfig) {
        DlpRules rules = DlpRulesAtStart.rules(dlpConfig);
        return new DlpCaptureRedaction(new Redactor(rules), String.format("DLP enabled with rules \"%s\": %d headers,"
                + " %d keys, %d patterns", dlpConfig.trim(), rules.headers().size(), rules.keys().size(),
                rules.patterns().size()));
    }

    @Override
    public Capture apply(Capture capture) {
        if (!capture.hasHttp()) {
            return capture;
        }
        HttpExchange x = capture.getHttp();
        HttpExchange.Builder changed = null;
        HttpRequest req = request(x.getRequest());
        if (req != x.getRequest()) {
            changed = x.toBuilder().setRequest(req);
        }
        if (x.hasResponse()) {
            HttpResponse res = response(x.getResponse());
            if (res != x.getResponse()) {
                changed = (changed != null ? changed : x.toBuilder()).setResponse(res);
            }
        }
        for (int i = 0; i < x.getInterimResponsesCount(); i++) {
            InterimResponse r = x.getInterimResponses(i);
            List<Header> headers = headers(r.getHeadersList());
            if (headers != r.getHeadersList()) {
                changed = (changed != null ? changed : x.toBuilder())
                        .setInterimResponses(i, r.toBuilder().clearHeaders().addAllHeaders(headers));
            }
        }
        return changed == null ? capture : capture.toBuilder().setHttp(changed).build();
    }

    // The redactor returns its argument itself when it replaced nothing: identity tells "unchanged" at no cost.
    private HttpRequest request(HttpRequest q) {
        String originalTarget = q.getTarget();
        String target = redactor.redactTarget(originalTarget);
        List<Header> headers = headers(q.getHeadersList());
        List<Header> trailers = headers(q.getTrailersList());
        ByteString body = body(q.getHeadersList(), q.getBody(), q.getBodyTruncated());
        if (target == originalTarget && headers == q.getHeadersList() && trailers == q.getTrailersList()
                && body == q.getBody()) {
            return q;
        }
        return q.toBuilder().setTarget(target).clearHeaders().addAllHeaders(headers).clearTrailers()
                .addAllTrailers(trailers).setBody(body).build();
    }

    private HttpResponse response(HttpResponse r) {
        List<Header> headers = headers(r.getHeadersList());
        List<Header> trailers = headers(r.getTrailersList());
        ByteString body = body(r.getHeadersList(), r.getBody(), r.getBodyTruncated());
        if (headers == r.getHeadersList() && trailers == r.getTrailersList() && body == r.getBody()) {
            return r;
        }
        return r.toBuilder().clearHeaders().addAllHeaders(headers).clearTrailers().addAllTrailers(trailers)
                .setBody(body).build();
    }

    /** The same list instance when no value changed. */
    private List<Header> headers(List<Header> headers) {
        Header[] out = null;
        for (int i = 0; i < headers.size(); i++) {
            Header h = headers.get(i);
            String original = h.getValue();
            String value = redactor.redactHeader(h.getName(), original);
            if (value != original) {
                if (out == null) {
                    out = headers.toArray(new Header[0]);
                }
                out[i] = h.toBuilder().setValue(value).build();
            }
        }
        return out == null ? headers : List.of(out);
    }

    private ByteString body(List<Header> headers, ByteString body, boolean truncated) {
        if (body.isEmpty()) {
            return body;
        }
        byte[] bytes = body.toByteArray();
        byte[] redacted = redactor.redactBody(contentType(headers), bytes, truncated);
        return redacted == bytes ? body : ByteString.copyFrom(redacted);
    }

    private static String contentType(List<Header> headers) {
        for (Header h : headers) {
            if (h.getName().equalsIgnoreCase("content-type")) {
                return h.getValue();
            }
        }
        return null;
    }

    @Override
    public long redactions() {
        return redactor.redactions();
    }

    @Override
    public String describe() {
        return description;
    }
}
