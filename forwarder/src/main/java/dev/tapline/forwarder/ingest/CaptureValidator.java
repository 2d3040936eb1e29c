package dev.tapline.forwarder.ingest;

import java.util.List;

import com.google.protobuf.ByteString;

import dev.tapline.capture.v1.Capture;
import dev.tapline.capture.v1.Header;
import dev.tapline.capture.v1.HttpExchange;
import dev.tapline.capture.v1.HttpRequest;
import dev.tapline.capture.v1.HttpResponse;
import dev.tapline.capture.v1.InterimResponse;
import dev.tapline.capture.v1.L7Protocol;
import dev.tapline.common.identity.IdentityLimits;
import dev.tapline.forwarder.config.ForwarderConfig;

/**
 * Decides whether a record may be stored, and says why not: a bad record is rejected alone, with its reason in
 * the ack, and the stream goes on. The bounds keep one client's garbage from costing the store or the read API
 * more than a normal capture does.
 */
public final class CaptureValidator {
    /** The proto's bound on Capture.id. */
    public static final int MAX_ID_LENGTH = IdentityLimits.MAX_CAPTURE_ID_LENGTH;
    private static final int MAX_INTERIM_RESPONSES = 16;
    private static final int MAX_ADDRESS_LENGTH = 512;

    private final long maxBodyBytes;
    private final int maxHeaders;
    private final long maxHeaderBytes;
    private final int maxTargetLength;

    public CaptureValidator(long maxBodyBytes, int maxHeaders, long maxHeaderBytes, int maxTargetLength) {
        this.maxBodyBytes = maxBodyBytes;
        this.maxHeaders = maxHeaders;
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxTargetLength = maxTargetLength;
    }

    public static CaptureValidator of(ForwarderConfig.Limits limits) {
        return new CaptureValidator(limits.maxBodyBytes().asLongValue(), limits.maxHeaders(),
                limits.maxHeaderBytes().asLongValue(), limits.maxTargetLength());
    }

    /** Why the record cannot be stored, or null when it can. */
    public String problem(Capture c, String batchProxyId) {
        String id = c.getId();
        if (id.isEmpty()) {
            return "id is required";
        }
        if (id.length() > MAX_ID_LENGTH) {
            return "id is longer than " + MAX_ID_LENGTH + " characters (" + id.length() + ")";
        }
        if (!IdentityLimits.isVisible(id)) {
            return "id contains spaces or control characters";
        }
        if (batchProxyId.isEmpty() && c.getProxyId().isEmpty()) {
            return "proxy_id is required, on the batch or on the record";
        }
        if (!batchProxyId.isEmpty() && !c.getProxyId().isEmpty() && !batchProxyId.equals(c.getProxyId())) {
            return "proxy_id " + quote(c.getProxyId()) + " differs from the batch's " + quote(batchProxyId);
        }
        if (c.getProtocol() == L7Protocol.UNRECOGNIZED || c.getDirectionValue() < 0 || c.getDirectionValue() > 2) {
            return "protocol or direction is not a known value";
        }
        if (c.getClientAddr().length() > MAX_ADDRESS_LENGTH || c.getBackendAddr().length() > MAX_ADDRESS_LENGTH) {
            return "client_addr or backend_addr is longer than " + MAX_ADDRESS_LENGTH + " characters";
        }
        if (c.getRequestStartUnixNanos() < 0) {
            return "request_start_unix_nanos is negative";
        }
        if (c.getResponseEndUnixNanos() != 0 && c.getResponseEndUnixNanos() < c.getRequestStartUnixNanos()) {
            return "response_end_unix_nanos is before request_start_unix_nanos";
        }
        return switch (c.getPayloadCase()) {
            case HTTP -> exchangeProblem(c.getHttp());
            case CONNECTION -> c.getConnection().getDetected() == L7Protocol.UNRECOGNIZED
                    ? "connection.detected is not a known protocol" : null;
            default -> "the record has neither an http exchange nor a connection summary";
        };
    }

    private String exchangeProblem(HttpExchange x) {
        if (!x.hasRequest()) {
            return "http.request is missing";
        }
        String problem = requestProblem(x.getRequest());
        if (problem == null && x.hasResponse()) {
            problem = responseProblem(x.getResponse());
        }
        return problem != null ? problem : interimProblem(x.getInterimResponsesList());
    }

    private String requestProblem(HttpRequest req) {
        if (!HttpSyntax.isToken(req.getMethod())) {
            return "request method " + quote(req.getMethod()) + " is not an HTTP method token";
        }
        String target = req.getTarget();
        if (target.isEmpty()) {
            return "request target is empty";
        }
        if (target.length() > maxTargetLength) {
            return "request target exceeds " + maxTargetLength + " characters (" + target.length() + ")";
        }
        if (!IdentityLimits.isVisible(target)) {
            return "request target contains spaces or control characters";
        }
        return firstProblem(versionProblem("request", req.getVersion()),
                headersProblem("request", req.getHeadersList(), req.getTrailersList()),
                bodyProblem("request", req.getBody(), req.getBodySize()));
    }

    private String responseProblem(HttpResponse res) {
        if (res.getStatusCode() < 100 || res.getStatusCode() > 999) {
            return "response status " + res.getStatusCode() + " is not a 3-digit code";
        }
        if (!noLineBreaks(res.getReason()) || res.getReason().length() > 1024) {
            return "response reason has a line break or exceeds 1024 characters";
        }
        return firstProblem(versionProblem("response", res.getVersion()),
                headersProblem("response", res.getHeadersList(), res.getTrailersList()),
                bodyProblem("response", res.getBody(), res.getBodySize()));
    }

    private static String firstProblem(String... problems) {
        for (String p : problems) {
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    private String interimProblem(List<InterimResponse> interim) {
        if (interim.size() > MAX_INTERIM_RESPONSES) {
            return "more than " + MAX_INTERIM_RESPONSES + " interim responses";
        }
        for (InterimResponse r : interim) {
            if (r.getStatusCode() < 100 || r.getStatusCode() > 199) {
                return "interim response status " + r.getStatusCode() + " is not 1xx";
            }
            String problem = headersProblem("interim response", r.getHeadersList(), List.of());
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static String versionProblem(String what, String version) {
        return version.isEmpty() || HttpSyntax.isVersion(version) ? null
                : what + " version " + quote(version) + " is not HTTP/x.y";
    }

    private String headersProblem(String what, List<Header> headers, List<Header> trailers) {
        int count = headers.size() + trailers.size();
        if (count > maxHeaders) {
            return what + " has " + count + " header fields, more than " + maxHeaders;
        }
        long bytes = 0;
        for (List<Header> list : List.of(headers, trailers)) {
            for (Header h : list) {
                if (!HttpSyntax.isToken(h.getName())) {
                    return what + " header name " + quote(h.getName()) + " is not a token";
                }
                if (!noLineBreaks(h.getValue())) {
                    return what + " header " + h.getName() + " has a line break or NUL in its value";
                }
                bytes += h.getName().length() + h.getValue().length();
            }
        }
        return bytes > maxHeaderBytes ? what + " header fields take " + bytes + " bytes, more than " + maxHeaderBytes : null;
    }

    private String bodyProblem(String what, ByteString body, long bodySize) {
        if (body.size() > maxBodyBytes) {
            return what + " body exceeds " + maxBodyBytes + " bytes (" + body.size() + ")";
        }
        if (bodySize < body.size()) {
            return what + " body holds " + body.size() + " bytes, more than its body_size " + bodySize;
        }
        return null;
    }

    private static boolean noLineBreaks(String s) {
        return s.indexOf('\r') < 0 && s.indexOf('\n') < 0 && s.indexOf('\0') < 0;
    }

    /** Quotes client-sent text for a reason, cut short so that a reason never carries much of it. */
    private static String quote(String s) {
        return "\"" + (s.length() > 64 ? s.substring(0, 64) + "..." : s) + "\"";
    }
}
