package dev.tapline.forwarder.grpcview;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.tapline.capture.v1.Capture;
import dev.tapline.capture.v1.Header;
import dev.tapline.capture.v1.HttpExchange;
import dev.tapline.capture.v1.HttpRequest;
import dev.tapline.capture.v1.HttpResponse;
import dev.tapline.capture.v1.L7Protocol;

/**
 * A gRPC call as the read API shows it, made from a captured HTTP/2 stream at read time (goproxy ships the raw
 * bodies; parsing them costs nothing on the capture path and only when someone looks).
 *
 * @param service          {@code pkg.Service} from {@code :path} {@code /pkg.Service/Method}
 * @param method           {@code Method}
 * @param status           {@code grpc-status} from the trailers, or from the headers of a trailers-only
 *                         response; null when the call did not end with one
 * @param statusMessage    {@code grpc-message}, percent-decoded
 * @param requestMessages  the client's messages, in order
 * @param responseMessages the app's messages, in order
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GrpcCall(String service, String method, Integer status, String statusMessage,
        List<GrpcMessage> requestMessages, List<GrpcMessage> responseMessages) {

    /** The call with its messages decoded without a schema, or null when the capture is not a gRPC stream. */
    public static GrpcCall of(Capture c) {
        return of(c, GrpcSchemas.NONE);
    }

    /**
     * The call, or null when the capture is not a gRPC stream; its messages are decoded with their types when
     * {@code schemas} knows the method.
     */
    public static GrpcCall of(Capture c, GrpcSchemas schemas) {
        if (c.getProtocol() != L7Protocol.L7_PROTOCOL_GRPC || !c.hasHttp()) {
            return null;
        }
        HttpExchange x = c.getHttp();
        HttpRequest q = x.getRequest();
        String path = q.getTarget();
        int slash = path.lastIndexOf('/');
        String service = slash > 0 ? path.substring(1, slash) : "";
        String method = slash >= 0 ? path.substring(slash + 1) : path;
        GrpcSchemas.Method types = schemas.method(path);
        List<GrpcMessage> requests = GrpcMessages.split(q.getBody().toByteArray(), q.getBodyTruncated(),
                value(q.getHeadersList(), "grpc-encoding"), types == null ? null : types.input());
        if (!x.hasResponse()) {
            return new GrpcCall(service, method, null, null, requests, List.of());
        }
        HttpResponse r = x.getResponse();
        List<GrpcMessage> responses = GrpcMessages.split(r.getBody().toByteArray(), r.getBodyTruncated(),
                value(r.getHeadersList(), "grpc-encoding"), types == null ? null : types.output());
        // a trailers-only response carries grpc-status in its only header block
        List<Header> ending = value(r.getTrailersList(), "grpc-status") != null ? r.getTrailersList() : r.getHeadersList();
        String status = value(ending, "grpc-status");
        String message = value(ending, "grpc-message");
        return new GrpcCall(service, method, parse(status), message == null ? null : percentDecoded(message),
                requests, responses);
    }

    private static Integer parse(String status) {
        try {
            return status == null ? null : Integer.valueOf(status.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** grpc-message is percent-encoded UTF-8 (gRPC over HTTP/2, "Responses"); '+' is a plus, not a space. */
    private static String percentDecoded(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    private static String value(List<Header> headers, String name) {
        for (Header h : headers) {
            if (h.getName().equalsIgnoreCase(name)) {
                return h.getValue();
            }
        }
        return null;
    }
}
